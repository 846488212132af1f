import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  InvalidOutput,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { TaskInvokers } from '../../task-resources';
import { eventually, executionEnd, startSfnOverEdge, type SfnOverEdge, testStateMachine } from '../support/sfn-over-edge';

const REVIEW_CATCH = [
  { ErrorEquals: ['ReviewRejected'], ResultPath: '$.rejected', Next: 'Rejected' },
  { ErrorEquals: ['States.HeartbeatTimeout'], ResultPath: '$.lost', Next: 'ReviewerLost' },
  { ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'ApproveByDefault' },
];
const REVIEW_RETRY = [{ ErrorEquals: ['ReviewerBusy'], IntervalSeconds: 0, MaxAttempts: 1 }];

const MACHINE = testStateMachine('Review', {
  StartAt: 'Route',
  States: {
    Route: { Type: 'Choice', Choices: [{ Variable: '$.via', StringEquals: 'lambda', Next: 'AskLambda' }], Default: 'AskQueue' },
    AskQueue: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: { QueueUrl: 'http://local/000000000000/reviews', MessageBody: { 'taskToken.$': '$$.Task.Token', 'id.$': '$.id' } },
      HeartbeatSeconds: 2,
      TimeoutSeconds: 4,
      ResultPath: '$.review',
      Retry: REVIEW_RETRY,
      Catch: REVIEW_CATCH,
      Next: 'Done',
    },
    AskLambda: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'reviewer', Payload: { 'token.$': '$$.Task.Token', 'id.$': '$.id' } },
      ResultPath: '$.review',
      Next: 'Done',
    },
    Rejected: { Type: 'Pass', End: true },
    ReviewerLost: { Type: 'Pass', End: true },
    ApproveByDefault: { Type: 'Pass', Result: { approved: true, by: 'default' }, ResultPath: '$.review', Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
});

jest.setTimeout(20_000);

describe('the callback pattern (.waitForTaskToken) over the wire', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sip-sfn-tokens-'));
  /** What each resource received, by the item id in the state input. */
  const sent = new Map<string, Array<{ token: string }>>();
  let local: SfnOverEdge;
  let sfn: SFNClient;

  const invokers: TaskInvokers = {
    async invokeLambda(_fn, payload) {
      const { id, token } = payload as { id: string; token: string };
      sent.set(id, [...(sent.get(id) ?? []), { token }]);
      return { accepted: true };
    },
    async callSdk(service, action, params) {
      if (service !== 'sqs' || action !== 'sendMessage') throw new Error(`unexpected ${service}.${action}`);
      // Step Functions sends a JSON MessageBody as its text, as SQS receives it.
      const body = JSON.parse(params.MessageBody as string) as { id: string; taskToken: string };
      sent.set(body.id, [...(sent.get(body.id) ?? []), { token: body.taskToken }]);
      if (body.id.startsWith('unsent')) throw Object.assign(new Error('queue is gone'), { name: 'QueueDoesNotExist' });
      return { MessageId: `m-${body.id}` };
    },
  };

  beforeAll(async () => {
    local = await startSfnOverEdge({ dataDir, stateMachines: [MACHINE], invokers, region: 'us-east-1', concurrency: 8 });
    ({ sfn } = local);
  });
  afterAll(() => local.stop());

  const start = async (id: string, via = 'sqs') =>
    (await sfn.send(new StartExecutionCommand({ stateMachineArn: MACHINE.arn, name: id, input: JSON.stringify({ id, via }) })))
      .executionArn as string;
  /** The token of the n-th attempt for an item, once the resource has received it. */
  const tokenFor = (id: string, attempt = 0) => eventually(`token for ${id}`, () => sent.get(id)?.[attempt]?.token, { attempts: 200 });
  const finished = (executionArn: string) => executionEnd(sfn, executionArn, { intervalMs: 50 });
  const eventTypes = async (executionArn: string) => (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];

  it('waits for SendTaskSuccess and continues with its output', async () => {
    // Prepare
    const arn = await start('ok-1');
    const token = await tokenFor('ok-1');
    await new Promise((r) => setTimeout(r, 100));
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');

    // Act
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ approved: true, by: 'alice' }) }));
    const done = await finished(arn);

    // Assess
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output as string)).toEqual({ id: 'ok-1', via: 'sqs', review: { approved: true, by: 'alice' } });
    const events = await eventTypes(arn);
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    const scheduled = events.find((e) => e.type === 'TaskScheduled')?.taskScheduledEventDetails;
    expect(scheduled).toMatchObject({
      resourceType: 'sqs',
      resource: 'sendMessage.waitForTaskToken',
      timeoutInSeconds: 4,
      heartbeatInSeconds: 2,
    });
    expect(JSON.parse(scheduled?.parameters as string).MessageBody).toEqual({ id: 'ok-1', taskToken: token });
    expect(JSON.parse(events.find((e) => e.type === 'TaskSubmitted')?.taskSubmittedEventDetails?.output as string)).toEqual({
      MessageId: 'm-ok-1',
    });
  });

  it('passes the token through lambda:invoke and has no default timeout', async () => {
    // Prepare
    const arn = await start('lambda-1', 'lambda');
    const token = await tokenFor('lambda-1');

    // Act
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '"fine"' }));
    const done = await finished(arn);

    // Assess
    expect(JSON.parse(done.output as string).review).toBe('fine');
    const scheduled = (await eventTypes(arn)).find((e) => e.type === 'TaskScheduled')?.taskScheduledEventDetails;
    expect(scheduled).toMatchObject({ resourceType: 'lambda', resource: 'invoke.waitForTaskToken' });
    expect(scheduled?.timeoutInSeconds).toBeUndefined();
  });

  it('routes SendTaskFailure to the Catch with the error and cause given', async () => {
    // Prepare
    const arn = await start('reject-1');

    // Act
    await sfn.send(new SendTaskFailureCommand({ taskToken: await tokenFor('reject-1'), error: 'ReviewRejected', cause: 'not suitable' }));
    const done = await finished(arn);

    // Assess
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output as string).rejected).toEqual({ Error: 'ReviewRejected', Cause: 'not suitable' });
    const failed = (await eventTypes(arn)).find((e) => e.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({ error: 'ReviewRejected', cause: 'not suitable' });
  });

  it('gives every retry attempt a fresh token and closes the old one', async () => {
    // Prepare
    const arn = await start('retry-1');
    const first = await tokenFor('retry-1');
    await sfn.send(new SendTaskFailureCommand({ taskToken: first, error: 'ReviewerBusy', cause: 'later' }));

    // Act
    const second = await tokenFor('retry-1', 1);
    const late = sfn.send(new SendTaskSuccessCommand({ taskToken: first, output: '{}' }));
    await expect(late).rejects.toBeInstanceOf(TaskTimedOut);
    await sfn.send(new SendTaskSuccessCommand({ taskToken: second, output: '{"approved":false}' }));
    const done = await finished(arn);

    // Assess
    expect(second).not.toBe(first);
    expect(JSON.parse(done.output as string).review).toEqual({ approved: false });
  });

  it('fails the task with States.HeartbeatTimeout when no heartbeat comes in time', async () => {
    // Prepare
    const arn = await start('silent-1');
    const token = await tokenFor('silent-1');

    // Act
    const done = await finished(arn);

    // Assess
    expect(JSON.parse(done.output as string).lost).toMatchObject({ Error: 'States.HeartbeatTimeout' });
    const timedOut = (await eventTypes(arn)).find((e) => e.type === 'TaskTimedOut');
    expect(timedOut?.taskTimedOutEventDetails).toMatchObject({
      error: 'States.HeartbeatTimeout',
      resource: 'sendMessage.waitForTaskToken',
    });
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('keeps a task alive with heartbeats until TimeoutSeconds, then takes the default action', async () => {
    // Prepare
    const arn = await start('slow-1');
    const token = await tokenFor('slow-1');
    const beats: string[] = [];
    const beating = setInterval(() => {
      sfn.send(new SendTaskHeartbeatCommand({ taskToken: token })).then(
        () => beats.push('ok'),
        (err: Error) => beats.push(err.name),
      );
    }, 500);

    // Act
    const done = await finished(arn);
    clearInterval(beating);

    // Assess
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output as string).review).toEqual({ approved: true, by: 'default' });
    expect(beats.filter((b) => b === 'ok').length).toBeGreaterThanOrEqual(4); // beyond HeartbeatSeconds (2 s)
    const timedOut = (await eventTypes(arn)).find((e) => e.type === 'TaskTimedOut');
    expect(timedOut?.taskTimedOutEventDetails).toMatchObject({ error: 'States.Timeout' });
    await expect(sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }))).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('refuses unknown, malformed and already used tokens and invalid output without changing anything', async () => {
    // Prepare
    const arn = await start('strict-1');
    const token = await tokenFor('strict-1');
    const unknown = `AQ${'A'.repeat(64)}`;

    // Act
    const unknownCall = sfn.send(new SendTaskSuccessCommand({ taskToken: unknown, output: '{}' }));
    const malformedCall = sfn.send(new SendTaskFailureCommand({ taskToken: 'not-a-token', error: 'X' }));
    const badOutput = sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{not json' }));

    // Assess
    await expect(unknownCall).rejects.toBeInstanceOf(TaskDoesNotExist);
    await expect(malformedCall).rejects.toBeInstanceOf(InvalidToken);
    await expect(badOutput).rejects.toBeInstanceOf(InvalidOutput);
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
    const again = sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'ReviewRejected' }));
    await expect(again).rejects.toBeInstanceOf(TaskTimedOut);
    const done = await finished(arn);
    expect(JSON.parse(done.output as string).review).toEqual({ approved: true });
  });

  it('closes the token of a stopped execution', async () => {
    // Prepare
    const arn = await start('stopped-1');
    const token = await tokenFor('stopped-1');

    // Act
    await sfn.send(new StopExecutionCommand({ executionArn: arn, error: 'Cancelled' }));
    const done = await finished(arn);

    // Assess
    expect(done.status).toBe('ABORTED');
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('fails the task and closes its token when the call carrying the token fails', async () => {
    // Act
    const arn = await start('unsent-1');
    const token = await tokenFor('unsent-1');
    const done = await finished(arn);

    // Assess
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('SQS.QueueDoesNotExist');
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
  });
});
