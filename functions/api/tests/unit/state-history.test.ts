import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { outcomeByState, summariseHistory } from '../../src/executions/state-history';
import { executionArnFor, isExecutionName, parseExecutionName, rerunName } from '../../src/executions/execution-names';

let clock = Date.parse('2026-11-25T12:00:00.000Z');
function event(type: string, details: Partial<HistoryEvent> = {}, stepMs = 100): HistoryEvent {
  clock += stepMs;
  return { type, timestamp: new Date(clock), id: clock, ...details } as HistoryEvent;
}
const entered = (type: string, name: string, input: unknown = {}) =>
  event(`${type}StateEntered`, { stateEnteredEventDetails: { name, input: JSON.stringify(input) } });
const exited = (type: string, name: string, output: unknown = {}) =>
  event(`${type}StateExited`, { stateExitedEventDetails: { name, output: JSON.stringify(output) } });

describe('summariseHistory', () => {
  it('reports retries, errors and the caught outcome of a task left through Catch', () => {
    // Prepare
    const events = [
      event('ExecutionStarted'),
      entered('Task', 'ResizeImage', { imageId: 'a' }),
      event('LambdaFunctionScheduled'),
      event('LambdaFunctionFailed', {
        lambdaFunctionFailedEventDetails: { error: 'S3ServiceException', cause: '{"errorMessage":"slow down"}' },
      }),
      event('LambdaFunctionScheduled'),
      event('LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: { error: 'CorruptImageError', cause: 'bad header' } }),
      exited('Task', 'ResizeImage', { error: { Error: 'CorruptImageError' } }),
      entered('Task', 'RecordFailure'),
      event('LambdaFunctionScheduled'),
      event('LambdaFunctionSucceeded'),
      exited('Task', 'RecordFailure'),
      entered('Fail', 'Fail'),
      event('ExecutionFailed', { executionFailedEventDetails: { error: 'CorruptImageError', cause: 'bad header' } }),
    ];

    // Act
    const { states, timeline } = summariseHistory(events);

    // Assess
    expect(states.map((state) => [state.name, state.outcome, state.attempts, state.retries])).toEqual([
      ['ResizeImage', 'caught', 2, 1],
      ['RecordFailure', 'succeeded', 1, 0],
      ['Fail', 'failed', 0, 0],
    ]);
    expect(states[0].errors.map((entry) => entry.error)).toEqual(['S3ServiceException', 'CorruptImageError']);
    expect(states[0].errors[0].cause).toEqual({ errorMessage: 'slow down' });
    expect(states[0].input).toEqual({ imageId: 'a' });
    expect(states[0].durationMs).toBe(500);
    expect(timeline).toHaveLength(events.length);
    expect(outcomeByState(states)).toEqual({ ResizeImage: 'caught', RecordFailure: 'succeeded', Fail: 'failed' });
  });

  it('marks the open state failed when the execution fails inside it', () => {
    // Prepare
    const events = [
      entered('Task', 'AnalyseImage'),
      event('TaskScheduled'),
      event('ExecutionFailed', { executionFailedEventDetails: { error: 'States.Timeout', cause: '' } }),
    ];

    // Act
    const { states } = summariseHistory(events);

    // Assess
    expect(states[0]).toEqual(
      expect.objectContaining({ outcome: 'failed', errors: [expect.objectContaining({ error: 'States.Timeout' })] }),
    );
  });

  it('leaves a state that has not exited as running', () => {
    // Act
    const { states } = summariseHistory([entered('Task', 'StoreMetadata'), event('LambdaFunctionScheduled')]);

    // Assess
    expect(states[0].outcome).toBe('running');
    expect(states[0].exitedAt).toBeNull();
  });
});

describe('execution names', () => {
  it('reads the imageId and revision of a pipeline execution, re-runs included', () => {
    // Prepare
    const name = `img-${'a'.repeat(32)}-${'b'.repeat(16)}`;

    // Act
    const rerun = rerunName(name, new Date('2026-11-25T12:00:00Z'));

    // Assess
    expect(parseExecutionName(rerun)).toEqual({ imageId: 'a'.repeat(32), revision: 'b'.repeat(16) });
    expect(rerun.length).toBeLessThanOrEqual(80);
    expect(rerun).toMatch(/^[0-9A-Za-z_-]+$/);
  });

  it('keeps a re-run name within 80 characters for a long original', () => {
    // Act
    const name = rerunName('x'.repeat(80), new Date());

    // Assess
    expect(name.length).toBe(80);
  });

  it('accepts every name Step Functions accepts and refuses the rest', () => {
    // Act / Assess
    for (const name of ['v1.2', 'nightly!run', 'café-été', 'a'.repeat(80), `img-${'a'.repeat(32)}-${'b'.repeat(16)}`]) {
      expect(isExecutionName(name)).toBe(true);
    }
    for (const name of ['', 'a'.repeat(81), 'has space', 'a/b', 'a:b', '../x', 'tab\there', 'x<y', 'new\nline']) {
      expect(isExecutionName(name)).toBe(false);
    }
  });

  it('cuts a long non-ASCII name for a re-run without splitting a character', () => {
    // Act
    const name = rerunName('😀'.repeat(80), new Date());

    // Assess
    expect(Array.from(name)).toHaveLength(80);
    expect(isExecutionName(name)).toBe(true);
  });

  it('builds the execution ARN from the state machine ARN', () => {
    // Act
    const arn = executionArnFor('arn:aws:states:us-east-1:000000000000:stateMachine:ImagePipeline', 'run-1');

    // Assess
    expect(arn).toBe('arn:aws:states:us-east-1:000000000000:execution:ImagePipeline:run-1');
  });
});
