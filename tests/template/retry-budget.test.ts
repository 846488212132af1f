import { loadAslText, loadTemplate, substitute } from './support/template';

/** An ASL retrier, as the definition states it. */
interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

const LAMBDA_THROTTLE = 'Lambda.TooManyRequestsException';
const MAIN_PATH_LAMBDA_TASKS = ['ResizeImage', 'AnalyseImage', 'StoreMetadata'];

function states(): Record<string, any> {
  return JSON.parse(substitute(loadAslText(), () => 'placeholder')).States;
}

/** The retrier Step Functions applies to an error: the first whose ErrorEquals names it. */
function retrierFor(state: { Retry?: Retrier[] }, error: string): Retrier | undefined {
  return (state.Retry ?? []).find((retrier) => retrier.ErrorEquals.includes(error));
}

/**
 * The longest a retrier waits in total before giving up: the sum of each retry's capped delay (ASL defaults:
 * interval 1 s, 3 attempts, backoff 2). With FULL jitter each delay is drawn from [0, that], so half is expected.
 */
export function worstCaseWaitSeconds(retrier: Retrier): number {
  const interval = retrier.IntervalSeconds ?? 1;
  const rate = retrier.BackoffRate ?? 2;
  const cap = retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY;
  let total = 0;
  for (let attempt = 0; attempt < (retrier.MaxAttempts ?? 3); attempt += 1) total += Math.min(interval * rate ** attempt, cap);
  return total;
}

function throttleBudget(stateName: string): number {
  const retrier = retrierFor(states()[stateName], LAMBDA_THROTTLE);
  if (!retrier) throw new Error(`${stateName} does not retry ${LAMBDA_THROTTLE}`);
  return worstCaseWaitSeconds(retrier);
}

describe('retry budgets against throttling', () => {
  it('rides out more than four minutes of Lambda throttling on every main-path Lambda task, even with full jitter', () => {
    // Prepare
    const all = states();

    // Act
    const expectedWaits = MAIN_PATH_LAMBDA_TASKS.map((name) => {
      const retrier = retrierFor(all[name], LAMBDA_THROTTLE)!;
      return [name, retrier.JitterStrategy === 'FULL' ? worstCaseWaitSeconds(retrier) / 2 : worstCaseWaitSeconds(retrier)] as const;
    });

    // Assess
    for (const [, seconds] of expectedWaits) expect(seconds).toBeGreaterThanOrEqual(240);
  });

  it('retries Lambda throttling on its own retrier, so service errors keep their shorter budget', () => {
    // Prepare
    const all = states();

    // Act
    const throttleRetriers = [...MAIN_PATH_LAMBDA_TASKS, 'RecordFailure'].map((name) => retrierFor(all[name], LAMBDA_THROTTLE)!);

    // Assess
    for (const retrier of throttleRetriers) {
      expect(retrier.ErrorEquals).toEqual([LAMBDA_THROTTLE]);
      expect(retrier.JitterStrategy).toBe('FULL');
      expect(retrier.MaxDelaySeconds).toBeLessThanOrEqual(60);
    }
  });

  it('gives the failure path a larger throttling budget than any main-path task', () => {
    // Act
    const failurePath = throttleBudget('RecordFailure');
    const mainPath = Math.max(...MAIN_PATH_LAMBDA_TASKS.map(throttleBudget));

    // Assess
    expect(failurePath).toBeGreaterThanOrEqual(2 * mainPath);
  });

  it('times the execution out only after every main-path task and RecordFailure could have used their whole budgets', () => {
    // Prepare
    const definition = JSON.parse(substitute(loadAslText(), () => 'placeholder'));

    // Act
    const worstCase = [...MAIN_PATH_LAMBDA_TASKS, 'RecordFailure'].reduce((sum, name) => sum + throttleBudget(name), 0);

    // Assess
    expect(definition.TimeoutSeconds).toBeGreaterThan(worstCase);
  });
});

describe('portability', () => {
  it('builds every service-integration ARN with the partition substitution', () => {
    // Act
    const resources = Object.values(JSON.parse(loadAslText()).States as Record<string, { Resource?: string }>)
      .map((state) => state.Resource)
      .filter((resource): resource is string => resource !== undefined);

    // Assess
    expect(resources.length).toBeGreaterThan(3);
    expect(resources.filter((resource) => !resource.startsWith('arn:${Partition}:states:::'))).toEqual([]);
    expect(loadTemplate().Resources.ImagePipelineStateMachine.Properties!.DefinitionSubstitutions.Partition).toEqual({
      Ref: 'AWS::Partition',
    });
  });

  it('names the sharp layer after the stack, so two stacks never share one layer', () => {
    // Act
    const layerName = loadTemplate().Resources.SharpLayer.Properties!.LayerName;

    // Assess
    expect(layerName).toEqual({ 'Fn::Sub': '${AWS::StackName}-sharp' });
  });
});
