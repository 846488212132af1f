import aslValidator = require('asl-validator');
import { DETAIL_TYPES, ERROR_NAMES, EVENT_SOURCE, PIPELINE_WORK_SECONDS, reprocessClaimSeconds } from '@smart-image-pipeline/contracts';
import { asArray, inlineStatements, loadAslText, loadTemplate, placeholdersIn, readRepoFile, substitute } from './support/template';

/** Errors of the functions' own making (the contracts package's names): retrying cannot fix them. */
/** Every named error but the one transient one: PeopleLockBusyError (another run of the owner is grouping faces). */
const DOMAIN_ERRORS: string[] = Object.values(ERROR_NAMES).filter((name) => name !== ERROR_NAMES.peopleLockBusy);

/** The states that run when the image is processed; each catches into RecordFailure. */
const MAIN_PATH_TASKS = ['ResizeImage', 'AnalyseImage', 'StoreMetadata'];

/** The states that publish (or park) events: none of them may lead to RecordFailure (issue 12, finding 2). */
const EVENT_TASKS = [
  'PublishProcessed',
  'PublishProcessedAndFlagged',
  'KeepUnpublishedEvents',
  'PublishFailed',
  'KeepUnpublishedFailureEvent',
  'PublishFlaggedForReview',
];

/** Well-formed stand-ins for the values CloudFormation substitutes, so checkArn can check the ARNs. */
function sampleValue(name: string): string {
  const account = 'arn:aws:{service}:us-east-1:123456789012';
  if (name.endsWith('FunctionArn')) return `${account.replace('{service}', 'lambda')}:function:stack-${name.replace(/Arn$/, '')}-AbC123`;
  if (name === 'MediaConvertRoleArn') return 'arn:aws:iam::123456789012:role/stack-MediaConvertRole-AbC123';
  if (name === 'Partition') return 'aws';
  if (name === 'EventBusName') return 'stack-events';
  if (name === 'UnpublishedEventsQueueUrl') return 'https://sqs.us-east-1.amazonaws.com/123456789012/stack-UnpublishedEventsQueue-AbC123';
  if (name === 'ReviewTimeoutSeconds') return '259200';
  if (name === 'ReviewTimeoutDecision') return 'reject';
  throw new Error(`no sample value for placeholder ${name}`);
}

function loadDefinition(): any {
  return JSON.parse(substitute(loadAslText(), sampleValue));
}

function taskStates(definition: any): [string, any][] {
  return Object.entries(definition.States as Record<string, any>).filter(([, state]) => state.Type === 'Task');
}

describe('state machine definition', () => {
  it('uses every DefinitionSubstitutions key and defines every placeholder', () => {
    // Prepare
    const substitutions = loadTemplate().Resources.ImagePipelineStateMachine.Properties!.DefinitionSubstitutions;

    // Act
    const placeholders = placeholdersIn(loadAslText());

    // Assess
    expect(placeholders.length).toBeGreaterThan(3);
    expect([...placeholders].sort()).toEqual(Object.keys(substitutions).sort());
  });

  it('names ARN substitutions after the logical ID they point at', () => {
    // Prepare
    const { Resources } = loadTemplate();
    const substitutions = Resources.ImagePipelineStateMachine.Properties!.DefinitionSubstitutions as Record<string, any>;

    // Act
    const arnKeys = Object.entries(substitutions).filter(([key]) => key.endsWith('Arn'));
    const mismatched = arnKeys.filter(([key, value]) => (value.Ref ?? value['Fn::GetAtt']?.[0]) !== key.replace(/Arn$/, ''));

    // Assess
    expect(arnKeys.map(([key]) => key).sort()).toEqual([
      'ComposeVideoThumbnailsFunctionArn',
      'MediaConvertRoleArn',
      'ModerationReviewFunctionArn',
      'ProbeVideoFunctionArn',
      'RekognitionLabelsFunctionArn',
      'RekognitionVideoFunctionArn',
      'ResizeImageFunctionArn',
      'ResolveVersionFunctionArn',
      'StoreMetadataFunctionArn',
    ]);
    expect(mismatched).toEqual([]);
  });

  it('passes asl-validator with ARN and path checks once placeholders are substituted', () => {
    // Prepare
    const definition = loadDefinition();

    // Act
    const result = aslValidator(structuredClone(definition), { checkArn: true, checkPaths: true });

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('fails asl-validator when a transition points nowhere', () => {
    // Prepare
    const definition = loadDefinition();
    definition.States.ResizeImage.Next = 'ResizeImages';

    // Act
    const result = aslValidator(definition, { checkArn: true, checkPaths: true });

    // Assess
    expect(result.isValid).toBe(false);
  });

  it('names every state as a PascalCase verb phrase and reaches each from StartAt', () => {
    // Prepare
    const definition = loadDefinition();
    const states = definition.States as Record<string, any>;

    // Act
    const reached = new Set<string>();
    const queue = [definition.StartAt as string];
    while (queue.length > 0) {
      const name = queue.shift()!;
      if (reached.has(name)) continue;
      reached.add(name);
      const state = states[name];
      const targets = [
        state.Next,
        state.Default,
        ...(state.Choices ?? []).map((c: any) => c.Next),
        ...(state.Catch ?? []).map((c: any) => c.Next),
      ].filter(Boolean);
      queue.push(...targets);
    }

    // Assess
    expect(Object.keys(states).filter((name) => !/^[A-Z][a-z]+([A-Z][a-z]+)*$/.test(name))).toEqual([]);
    expect([...reached].sort()).toEqual(Object.keys(states).sort());
  });

  it('retries transient errors on every task with exponential, jittered and capped backoff', () => {
    // Prepare
    const tasks = taskStates(loadDefinition());

    // Act
    const retriers = tasks.flatMap(([name, state]) => (state.Retry ?? []).map((retrier: any) => ({ name, retrier })));

    // Assess
    expect(tasks.every(([, state]) => (state.Retry ?? []).length > 0)).toBe(true);
    for (const { retrier } of retriers) {
      expect(retrier.BackoffRate).toBe(2);
      expect(retrier.JitterStrategy).toBe('FULL');
      expect(retrier.MaxDelaySeconds).toBeGreaterThan(0);
      expect(retrier.MaxAttempts).toBeGreaterThanOrEqual(2);
    }
  });

  it('never retries a domain error or a catch-all', () => {
    // Prepare
    const tasks = taskStates(loadDefinition());

    // Act
    const retried = tasks.flatMap(([, state]) => (state.Retry ?? []).flatMap((retrier: any) => retrier.ErrorEquals as string[]));

    // Assess
    expect(retried).toContain('ThrottlingException');
    expect(retried).toContain('Lambda.TooManyRequestsException');
    expect(retried.filter((error) => DOMAIN_ERRORS.includes(error) || error.startsWith('States.'))).toEqual([]);
    // The owner's people lock was busy: AnalyseImage (the only state that groups faces) tries again later.
    const lockRetries = tasks.filter(([, state]) =>
      (state.Retry ?? []).some((retrier: any) => retrier.ErrorEquals.includes(ERROR_NAMES.peopleLockBusy)),
    );
    expect(lockRetries.map(([name]) => name)).toEqual(['AnalyseImage']);
  });

  it('catches every main-path task into RecordFailure, keeping the error at $.error', () => {
    // Prepare
    const states = loadDefinition().States;

    // Act
    const catchers = MAIN_PATH_TASKS.map((name) => states[name].Catch);

    // Assess
    for (const catcher of catchers) {
      expect(catcher).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' }]);
    }
  });

  it('ends the failure path in Fail with the original error even when recording or publishing fails', () => {
    // Prepare
    const states = loadDefinition().States;

    // Act
    const recordCatch = states.RecordFailure.Catch[0];
    const publishCatch = states.PublishFailed.Catch[0];
    const keepCatch = states.KeepUnpublishedFailureEvent.Catch[0];

    // Assess
    expect(states.RecordFailure.Next).toBe('CheckFailureEvent');
    expect(recordCatch.Next).toBe('Fail');
    expect(recordCatch.ResultPath).not.toBe('$.error');
    expect(states.PublishFailed.Next).toBe('Fail');
    expect(publishCatch).toEqual({ ErrorEquals: ['States.ALL'], ResultPath: '$.publishError', Next: 'KeepUnpublishedFailureEvent' });
    expect([states.KeepUnpublishedFailureEvent.Next, keepCatch.Next]).toEqual(['Fail', 'Fail']);
    expect(keepCatch.ResultPath).not.toBe('$.error');
    expect(states.Fail).toMatchObject({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
    expect(states.RecordFailure.Parameters.Payload).toMatchObject({ action: 'recordFailure', 'error.$': '$.error' });
  });

  it('never sends a stored image down the failure path for an event: every publishing state ends in Succeed or Fail (issue 12, finding 2)', () => {
    // Prepare
    const states = loadDefinition().States as Record<string, any>;
    const reachable = (from: string): Set<string> => {
      const seen = new Set<string>();
      const queue = [from];
      while (queue.length > 0) {
        const name = queue.shift()!;
        if (seen.has(name)) continue;
        seen.add(name);
        const state = states[name];
        queue.push(
          ...[
            state.Next,
            state.Default,
            ...(state.Choices ?? []).map((c: any) => c.Next),
            ...(state.Catch ?? []).map((c: any) => c.Next),
          ].filter(Boolean),
        );
      }
      return seen;
    };

    // Act
    const afterStore = reachable('CheckEvents');
    const publishers = Object.entries(states)
      .filter(([, state]) => state.Type === 'Task' && /:::(events:putEvents|sqs:sendMessage)$/.test(state.Resource))
      .map(([name]) => name);

    // Assess
    // One Choice after the store (quarantine rule first), so the happy path bills no second one.
    expect(states.StoreMetadata.Next).toBe('CheckEvents');
    expect(states.CheckEvents.Choices.map((choice: any) => choice.Next)).toEqual([
      'PrepareReview',
      'PublishProcessedAndFlagged',
      'PublishProcessed',
    ]);
    // A review may end the run in Fail (its own decision), but nothing after the store leads to RecordFailure.
    expect([...afterStore].sort()).toEqual([
      'ApplyReviewDecision',
      'AwaitReview',
      'CheckApproved',
      'CheckEvents',
      'Fail',
      'KeepUnpublishedEvents',
      'MarkReviewUndecided',
      'PrepareReview',
      'PublishFlaggedForReview',
      'PublishProcessed',
      'PublishProcessedAndFlagged',
      'RecordReviewFailure',
      'ReviewTimedOut',
      'Succeed',
    ]);
    expect(afterStore.has('RecordFailure')).toBe(false);
    expect(publishers.sort()).toEqual([...EVENT_TASKS].sort());
    for (const name of EVENT_TASKS) {
      expect(states[name].Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'] })]);
      expect(reachable(name).has('RecordFailure')).toBe(false);
    }
  });

  it('publishes each event with the contracts source and detail type, from the details StoreMetadata built', () => {
    // Prepare
    const states = loadDefinition().States as Record<string, any>;

    // Act
    const entries = ['PublishProcessed', 'PublishProcessedAndFlagged', 'PublishFailed', 'PublishFlaggedForReview'].map((name) => [
      name,
      states[name].Parameters.Entries,
    ]);

    // Assess
    expect(Object.fromEntries(entries)).toEqual({
      PublishProcessed: [
        { EventBusName: 'stack-events', Source: EVENT_SOURCE, DetailType: DETAIL_TYPES.processed, 'Detail.$': '$.stored.events.processed' },
      ],
      PublishProcessedAndFlagged: [
        { EventBusName: 'stack-events', Source: EVENT_SOURCE, DetailType: DETAIL_TYPES.processed, 'Detail.$': '$.stored.events.processed' },
        { EventBusName: 'stack-events', Source: EVENT_SOURCE, DetailType: DETAIL_TYPES.flagged, 'Detail.$': '$.stored.events.flagged' },
      ],
      PublishFailed: [
        { EventBusName: 'stack-events', Source: EVENT_SOURCE, DetailType: DETAIL_TYPES.failed, 'Detail.$': '$.stored.events.failed' },
      ],
      PublishFlaggedForReview: [
        { EventBusName: 'stack-events', Source: EVENT_SOURCE, DetailType: DETAIL_TYPES.flagged, 'Detail.$': '$.stored.events.flagged' },
      ],
    });
    expect(states.StoreMetadata.ResultSelector['events.$']).toBe('$.Payload.events');
    expect(states.RecordFailure.ResultSelector['events.$']).toBe('$.Payload.events');
  });

  it('invokes Lambdas through lambda:invoke and keeps only the payload fields of each contract', () => {
    // Prepare
    const lambdaTasks = taskStates(loadDefinition()).filter(([, state]) => state.Resource === 'arn:aws:states:::lambda:invoke');

    // Act
    const selections = lambdaTasks.map(([name, state]) => [name, Object.values(state.ResultSelector) as string[]] as const);

    // Assess
    expect(lambdaTasks.map(([name]) => name).sort()).toEqual([
      'AnalyseImage',
      'ApplyReviewDecision',
      'CollectVideoAnalysis',
      'ComposeVideoThumbnails',
      'ProbeVideo',
      'RecordFailure',
      'RecordReviewFailure',
      'ResizeImage',
      'ResolveVersion',
      'StartVideoAnalysis',
      'StoreMetadata',
    ]);
    for (const [name, paths] of selections) {
      if (name === 'AnalyseImage') continue;
      expect(paths.length).toBeGreaterThan(1);
      expect(paths.every((path) => path.startsWith('$.Payload.'))).toBe(true);
    }
  });

  it("hands AnalyseImage the upload's sourceOrder, which face grouping compares with the image item after IndexFaces", () => {
    // Prepare
    const states = loadDefinition().States as Record<string, any>;

    // Act
    const payload = states.AnalyseImage.Parameters.Payload;

    // Assess: the execution input's source.sourceOrder (the trigger's, from the S3 sequencer).
    expect(payload['sourceOrder.$']).toBe('$.source.sourceOrder');
  });

  it('passes the analysis summary on as one object, so a new detector needs no change here', () => {
    // Prepare
    const states = loadDefinition().States as Record<string, any>;

    // Act
    const analyse = states.AnalyseImage;

    // Assess
    expect(analyse.ResultSelector).toEqual({ 'summary.$': '$.Payload', 'durationMs.$': '$.Payload.durationMs' });
    expect(analyse.ResultPath).toBe('$.analysis');
  });

  it("keeps each timed step's own duration beside its result, and hands RecordFailure the whole state", () => {
    // Prepare
    const states = loadDefinition().States as Record<string, any>;

    // Act
    const kept = ['ResolveVersion', 'ResizeImage', 'AnalyseImage'].map((name) => [
      states[name].ResultPath,
      states[name].ResultSelector['durationMs.$'],
    ]);

    // Assess
    expect(kept).toEqual([
      ['$.resolvedVersion', '$.Payload.durationMs'],
      ['$.resize', '$.Payload.durationMs'],
      ['$.analysis', '$.Payload.durationMs'],
    ]);
    expect(states.RecordFailure.Parameters.Payload['state.$']).toBe('$');
  });

  it('bounds every task and the whole execution with a timeout', () => {
    // Prepare
    const definition = loadDefinition();

    // Act
    // AwaitReview's timeout is the template's ReviewTimeoutSeconds (through PrepareReview), at most its MaxValue.
    const longestReview = loadTemplate().Parameters.ReviewTimeoutSeconds.MaxValue as number;
    const taskTimeouts = taskStates(definition).map(([name, state]) =>
      name === 'AwaitReview' && state.TimeoutSecondsPath === '$.reviewSettings.timeoutSeconds'
        ? longestReview
        : (state.TimeoutSeconds as number),
    );

    // Assess
    expect(taskTimeouts.every((seconds) => seconds > 0)).toBe(true);
    expect(definition.TimeoutSeconds).toBeGreaterThan(Math.max(...taskTimeouts));
  });

  it('lets the state machine role invoke, publish to its bus and park events exactly as its tasks do', () => {
    // Prepare
    const machine = loadTemplate().Resources.ImagePipelineStateMachine.Properties!;
    const text = loadAslText();

    // Act
    const invokedFunctions = [...new Set([...text.matchAll(/"FunctionName": "\$\{(\w+)FunctionArn\}"/g)].map((m) => `${m[1]}Function`))];
    const invokable = (machine.Policies as any[]).filter((p) => p.LambdaInvokePolicy).map((p) => p.LambdaInvokePolicy.FunctionName.Ref);
    const buses = (machine.Policies as any[])
      .filter((p) => p.EventBridgePutEventsPolicy)
      .map((p) => p.EventBridgePutEventsPolicy.EventBusName);
    const queueSends = inlineStatements(machine.Policies).filter((statement) =>
      asArray(statement.Action).some((action) => action.startsWith('sqs:')),
    );

    // Assess
    expect(invokedFunctions.sort()).toEqual([
      'ComposeVideoThumbnailsFunction',
      'ModerationReviewFunction',
      'ProbeVideoFunction',
      'RekognitionLabelsFunction',
      'RekognitionVideoFunction',
      'ResizeImageFunction',
      'ResolveVersionFunction',
      'StoreMetadataFunction',
    ]);
    expect([...invokable].sort()).toEqual(invokedFunctions);
    expect(text).toContain('"EventBusName": "${EventBusName}"');
    expect(buses).toEqual([{ Ref: 'EventBus' }]);
    expect(machine.DefinitionSubstitutions.EventBusName).toEqual({ Ref: 'EventBus' });
    expect(queueSends.map((statement) => [statement.Action, statement.Resource])).toEqual([
      [['sqs:SendMessage'], { 'Fn::GetAtt': ['UnpublishedEventsQueue', 'Arn'] }],
    ]);
    expect(JSON.stringify(machine.Policies)).not.toMatch(/ses:|sns:/);
  });

  it('lets each task time out only after its Lambda function would have', () => {
    // Prepare
    const { Globals, Resources } = loadTemplate();
    const states = loadDefinition().States;
    const functionOf: Record<string, string> = {
      ResizeImage: 'ResizeImageFunction',
      AnalyseImage: 'RekognitionLabelsFunction',
      StoreMetadata: 'StoreMetadataFunction',
      RecordFailure: 'StoreMetadataFunction',
      ApplyReviewDecision: 'ModerationReviewFunction',
    };

    // Act
    const margins = Object.entries(functionOf).map(
      ([state, fn]) => states[state].TimeoutSeconds - (Resources[fn].Properties!.Timeout ?? Globals.Function.Timeout),
    );

    // Assess
    expect(margins.every((margin) => margin > 0)).toBe(true);
  });
});

describe('moderation review branch (issue 13)', () => {
  it('waits for the review through a task token, bounded by the template parameter, with a default decision on timeout', () => {
    // Prepare
    const { Parameters, Resources } = loadTemplate();
    const states = loadDefinition().States as Record<string, any>;
    const substitutions = Resources.ImagePipelineStateMachine.Properties!.DefinitionSubstitutions;

    // Act
    const wait = states.AwaitReview;
    const timeoutCatch = wait.Catch.find((c: any) => c.ErrorEquals.includes('States.Timeout'));

    // Assess
    expect(states.CheckEvents.Choices[0].Next).toBe('PrepareReview');
    expect(wait.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(wait.Parameters.Payload['taskToken.$']).toBe('$$.Task.Token');
    expect(wait.TimeoutSecondsPath).toBe('$.reviewSettings.timeoutSeconds');
    expect(wait.TimeoutSeconds).toBeUndefined();
    expect(states.PrepareReview.Parameters).toEqual({
      'timeoutSeconds.$': "States.StringToJson('259200')",
      timeoutDecision: 'reject',
    });
    expect(timeoutCatch.Next).toBe('ReviewTimedOut');
    expect(states.ReviewTimedOut.Parameters['decision.$']).toBe('$.reviewSettings.timeoutDecision');
    expect(states.ReviewTimedOut.Next).toBe('ApplyReviewDecision');
    expect(substitutions.ReviewTimeoutSeconds).toEqual({ Ref: 'ReviewTimeoutSeconds' });
    expect(substitutions.ReviewTimeoutDecision).toEqual({ Ref: 'ReviewTimeoutDecision' });
    // The safe default: an image nobody looked at is never served.
    expect(Parameters.ReviewTimeoutDecision).toMatchObject({ Default: 'reject', AllowedValues: ['reject', 'approve'] });
    expect(Parameters.ReviewTimeoutSeconds.MinValue).toBeGreaterThanOrEqual(60);
  });

  it('never marks a quarantined image FAILED when the review machinery fails: the review is marked FAILED and the run fails', () => {
    // Prepare
    const states = loadDefinition().States as Record<string, any>;

    // Act
    const catchTargets = ['AwaitReview', 'ApplyReviewDecision'].flatMap((name) => states[name].Catch.map((c: any) => c.Next));
    const recordCatch = states.RecordReviewFailure.Catch.map((c: any) => c.Next);

    // Assess
    expect(catchTargets).not.toContain('RecordFailure');
    expect(catchTargets).toEqual(['ReviewTimedOut', 'MarkReviewUndecided', 'RecordReviewFailure']);
    expect(states.MarkReviewUndecided.Next).toBe('RecordReviewFailure');
    expect(states.RecordReviewFailure.Parameters.Payload.action).toBe('recordReviewFailure');
    expect(states.RecordReviewFailure.Next).toBe('Fail');
    expect(recordCatch).toEqual(['Fail']);
    expect(states.CheckApproved.Choices[0].Next).toBe('PublishProcessed');
    expect(states.CheckApproved.Default).toBe('Succeed');
  });
});

describe('reprocess state machine (issue 13)', () => {
  it('keeps an image claimed, and its child waiting, as long as the pipeline run it starts can live (review wait included)', () => {
    // Prepare
    const reprocess = JSON.parse(readRepoFile('statemachine/reprocess.asl.json'));
    const states = reprocess.States.ReprocessImages.ItemProcessor.States;
    const template = loadTemplate();
    const review = template.Parameters.ReviewTimeoutSeconds;
    const reprocessEnv = template.Resources.ReprocessFunction.Properties!.Environment.Variables;
    const pipelineTimeout = JSON.parse(readRepoFile('statemachine/image-pipeline.asl.json')).TimeoutSeconds;

    // Act: the longest a child's pipeline run works and waits, for the default and the longest review timeout.
    const runLives = [review.Default, review.MaxValue].map((seconds: number) => PIPELINE_WORK_SECONDS + seconds);
    const beforeTheMap = reprocess.States.ResolveTargetVersion.TimeoutSeconds + reprocess.States.SelectImages.TimeoutSeconds;

    // Assess: the claim outlasts the run it guards (ReprocessFunction reads the template's review timeout), RunPipeline
    // never gives up on a run still waiting for its review, and the reprocess run outlives its children.
    expect(reprocessEnv.REVIEW_TIMEOUT_SECONDS).toEqual({ Ref: 'ReviewTimeoutSeconds' });
    for (const [i, seconds] of [review.Default, review.MaxValue].entries())
      expect(reprocessClaimSeconds(seconds)).toBeGreaterThanOrEqual(states.PrepareImage.TimeoutSeconds + runLives[i]);
    expect(states.RunPipeline.TimeoutSeconds).toBeGreaterThanOrEqual(runLives[1]);
    expect(pipelineTimeout).toBeGreaterThanOrEqual(runLives[1]);
    expect(reprocess.TimeoutSeconds).toBeGreaterThanOrEqual(
      beforeTheMap + states.PrepareImage.TimeoutSeconds + states.RunPipeline.TimeoutSeconds,
    );
    expect(states.PrepareImage.Next).toBe('CheckPreparation');
    expect(states.CheckPreparation.Default).toBe('Skipped');
  });
});
