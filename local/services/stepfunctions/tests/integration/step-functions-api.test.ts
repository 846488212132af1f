import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  InvalidName,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { StepFunctionsService } from '../../step-functions';
import { TaskFailedError } from '../../errors';
import type { TaskInvokers } from '../../task-resources';
import { startSfnOverEdge, type SfnOverEdge, testStateMachine } from '../support/sfn-over-edge';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:work';
const MACHINE = testStateMachine('Machine', {
  StartAt: 'Work',
  States: {
    Work: {
      Type: 'Task',
      Resource: FN,
      ResultPath: '$.work',
      Retry: [{ ErrorEquals: ['FlakyError'], IntervalSeconds: 0, MaxAttempts: 2, JitterStrategy: 'FULL', MaxDelaySeconds: 1 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' }],
      Next: 'Ok',
    },
    Ok: { Type: 'Pass', Parameters: { 'done.$': '$.work.done', 'execution.$': '$$.Execution.Id' }, End: true },
    Failed: { Type: 'Fail', Error: 'WorkFailed', Cause: 'see history' },
  },
});

class FlakyError extends Error {
  name = 'FlakyError';
}

/**
 * Holds the `slow` tasks of each id until the test releases that id, so a run the test needs running is still running
 * however slow the machine is; `started` resolves once a task of that id is being invoked.
 */
class TaskGates {
  private readonly gates = new Map<string, { started: Promise<void>; begin: () => void; released: Promise<void>; release: () => void }>();

  private gate(id: string) {
    let gate = this.gates.get(id);
    if (!gate) {
      let begin!: () => void;
      let release!: () => void;
      const started = new Promise<void>((resolve) => (begin = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      gate = { started, begin, released, release };
      this.gates.set(id, gate);
    }
    return gate;
  }

  async pass(id: string): Promise<void> {
    const gate = this.gate(id);
    gate.begin();
    await gate.released;
  }

  started(id: string): Promise<void> {
    return this.gate(id).started;
  }

  release(id: string): void {
    this.gate(id).release();
  }
}

/** A real function body per mode; invokers are what the stack wires to the Lambda runtime. */
function makeInvokers(seen: unknown[], gates: TaskGates): TaskInvokers {
  const flaky = new Map<string, number>();
  return {
    async invokeLambda(_fn, payload) {
      const input = payload as { mode: string; id: string };
      seen.push(input);
      if (input.mode === 'flaky' && (flaky.get(input.id) ?? 0) < 1) {
        flaky.set(input.id, 1);
        throw Object.assign(new FlakyError('try again'), { payload: { errorType: 'FlakyError', errorMessage: 'try again', trace: [] } });
      }
      if (input.mode === 'broken')
        throw new TaskFailedError('CorruptImageError', JSON.stringify({ errorMessage: 'bad bytes', errorType: 'CorruptImageError' }));
      if (input.mode === 'slow') await gates.pass(input.id);
      return { done: input.id };
    },
    async callSdk() {
      return {};
    },
  };
}

jest.setTimeout(20_000);

describe('local Step Functions over the wire', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sip-sfn-'));
  const seen: unknown[] = [];
  const gates = new TaskGates();
  let local: SfnOverEdge;
  let service: StepFunctionsService;
  let sfn: SFNClient;

  /** Starts (or, after a stop, restarts) local mode's Step Functions on the same data folder. */
  const startLocal = async () => {
    local = await startSfnOverEdge({
      dataDir,
      stateMachines: [MACHINE],
      invokers: makeInvokers(seen, gates),
      region: 'us-east-1',
      concurrency: 2,
    });
    ({ service, sfn } = local);
  };
  beforeAll(startLocal);
  afterAll(() => local.stop());

  const start = (name: string, input: object) =>
    sfn.send(new StartExecutionCommand({ stateMachineArn: MACHINE.arn, name, input: JSON.stringify(input) }));

  it('retries a flaky task and records AWS-shaped history', async () => {
    // Prepare
    const { executionArn } = await start('flaky-1', { mode: 'flaky', id: 'a' });

    // Act
    await service.waitForIdle();
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));

    // Assess
    expect(described.status).toBe('SUCCEEDED');
    expect(described.startDate).toBeInstanceOf(Date);
    expect(JSON.parse(described.output as string)).toEqual({ done: 'a', execution: executionArn });
    expect(history.events?.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(history.events?.[4].lambdaFunctionFailedEventDetails).toMatchObject({ error: 'FlakyError' });
    expect(history.events?.map((e) => e.id)).toEqual(history.events?.map((_, i) => i + 1));
  });

  it('routes a named handler error to the Catch and fails at the Fail state', async () => {
    // Prepare
    const { executionArn } = await start('broken-1', { mode: 'broken', id: 'b' });

    // Act
    await service.waitForIdle();
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));

    // Assess
    expect(described).toMatchObject({ status: 'FAILED', error: 'WorkFailed', cause: 'see history' });
    const exited = history.events?.find((e) => e.type === 'TaskStateExited');
    expect(JSON.parse(exited?.stateExitedEventDetails?.output as string).error).toEqual({
      Error: 'CorruptImageError',
      Cause: JSON.stringify({ errorMessage: 'bad bytes', errorType: 'CorruptImageError' }),
    });
  });

  it('answers a duplicate name with ExecutionAlreadyExists and a running duplicate idempotently', async () => {
    // Prepare
    const first = await start('slow-1', { mode: 'slow', id: 'c' });

    // Act
    const again = await start('slow-1', { mode: 'slow', id: 'c' });
    const different = start('slow-1', { mode: 'slow', id: 'other' });

    // Assess
    expect(again.executionArn).toBe(first.executionArn);
    await expect(different).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await expect(start('bad name!', {})).rejects.toBeInstanceOf(InvalidName);
    await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn, error: 'Stopped', cause: 'by test' }));
    gates.release('c');
    await service.waitForIdle();
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn }))).status).toBe('ABORTED');
    await expect(start('flaky-1', { mode: 'flaky', id: 'a' })).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('shows a running task in the history while it runs', async () => {
    // Prepare
    const { executionArn } = await start('slow-live', { mode: 'slow', id: 'live' });
    await gates.started('live');

    // Act: the history while the task is held (its engine events are recorded asynchronously: wait for the fourth),
    // then after it is released.
    let live = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    while ((live.events?.length ?? 0) < 4) {
      await new Promise((resolve) => setImmediate(resolve));
      live = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    }
    gates.release('live');
    await service.waitForIdle();
    const done = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));

    // Assess
    expect(live.events?.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
    ]);
    expect(done.events?.map((e) => e.type).slice(4, 6)).toEqual(['LambdaFunctionSucceeded', 'TaskStateExited']);
  });

  it('lists executions newest first with a status filter and pages', async () => {
    // Prepare
    await service.waitForIdle();

    // Act
    const page1 = await sfn.send(new ListExecutionsCommand({ stateMachineArn: MACHINE.arn, maxResults: 2 }));
    const page2 = await sfn.send(new ListExecutionsCommand({ stateMachineArn: MACHINE.arn, maxResults: 2, nextToken: page1.nextToken }));
    const failed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: MACHINE.arn, statusFilter: 'FAILED' }));

    // Assess
    expect(page1.executions).toHaveLength(2);
    expect(page2.executions?.map((e) => e.name)).not.toContain(page1.executions?.[0].name);
    expect(failed.executions?.map((e) => e.name)).toEqual(['broken-1']);
  });

  it('follows the AWS name rules: dots and non-ASCII are names, spaces, slashes and 81 characters are not', async () => {
    // Prepare
    const valid = ['v1.2_run!', '..', 'föto-日本-' + 'é'.repeat(60)];
    const invalid = ['has space', 'a/b', 'x:y', 'q?', 'a'.repeat(81), ''];

    // Act
    const started = await Promise.all(valid.map((name) => start(name, { mode: 'ok', id: name })));
    const refused = await Promise.allSettled(invalid.map((name) => start(name, {})));
    await service.waitForIdle();
    const reread = new StepFunctionsService({ dataDir, stateMachines: [MACHINE], invokers: makeInvokers([], gates), region: 'us-east-1' });
    const names = reread.allExecutions().map((execution) => execution.name);
    await reread.close();

    // Assess
    expect(started.map((result) => result.executionArn?.split(':').pop())).toEqual(valid);
    expect(refused.map((result) => result.status === 'rejected' && result.reason instanceof InvalidName)).toEqual(invalid.map(() => true));
    expect(names).toEqual(expect.arrayContaining(valid));
  });

  it('keeps executions across a restart and redrives one that was interrupted', async () => {
    // Prepare
    const executionArn = (await start('interrupted-1', { mode: 'slow', id: 'd' })).executionArn as string;
    await gates.started('d');
    await local.stop();
    await startLocal();
    gates.release('d');

    // Act
    const resumed = service.resumeInterrupted();
    await service.waitForIdle();
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const old = await sfn.send(new DescribeExecutionCommand({ executionArn: executionArn.replace('interrupted-1', 'broken-1') }));
    const redrive = await sfn.send(new RedriveExecutionCommand({ executionArn: executionArn.replace('interrupted-1', 'broken-1') }));

    // Assess
    expect(resumed).toBe(1);
    expect(described).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    expect(old.status).toBe('FAILED');
    expect(redrive.redriveDate).toBeInstanceOf(Date);
  });
});
