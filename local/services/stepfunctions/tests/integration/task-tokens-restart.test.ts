/**
 * Task tokens across a restart of local mode (`npm start` stopped and started on the same data folder): the run that
 * waited is redriven from its start, and SendTaskSuccess/SendTaskFailure with the token handed out before the restart
 * settles the same callback state of the redriven run, whether it arrives before the run gets back there or after.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import type { TaskInvokers } from '../../task-resources';
import { eventually, executionEnd, startSfnOverEdge, testStateMachine } from '../support/sfn-over-edge';

const MACHINE = testStateMachine('Review', {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Result: 'prepared', ResultPath: '$.prepared', Next: 'AwaitReview' },
    AwaitReview: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'reviewer', Payload: { 'token.$': '$$.Task.Token', 'id.$': '$.id' } },
      TimeoutSeconds: 600,
      ResultPath: '$.review',
      Catch: [{ ErrorEquals: ['ReviewRejected'], ResultPath: '$.rejected', Next: 'Rejected' }],
      Next: 'Done',
    },
    Rejected: { Type: 'Pass', End: true },
    Done: { Type: 'Succeed' },
  },
});

jest.setTimeout(30_000);

/** Every token the reviewer Lambda received, by item id, across all the processes of a test. */
const sent = new Map<string, string[]>();
const invokers: TaskInvokers = {
  async invokeLambda(_fn, payload) {
    const { id, token } = payload as { id: string; token: string };
    sent.set(id, [...(sent.get(id) ?? []), token]);
    return { accepted: true };
  },
  async callSdk(service, action) {
    throw new Error(`unexpected ${service}.${action}`);
  },
};

/** One local-mode process: the service on a data folder behind its own edge. */
const startProcess = (dataDir: string) =>
  startSfnOverEdge({ dataDir, stateMachines: [MACHINE], invokers, region: 'us-east-1', concurrency: 4 });

const tokenFor = (id: string, attempt: number) => eventually(`token ${attempt} for ${id}`, () => sent.get(id)?.[attempt]);

/** Starts an execution in a first process and stops that process while the run waits for its token. */
async function waitingRunInterrupted(dataDir: string, id: string): Promise<{ executionArn: string; oldToken: string }> {
  const first = await startProcess(dataDir);
  const { executionArn } = await first.sfn.send(
    new StartExecutionCommand({ stateMachineArn: MACHINE.arn, name: id, input: JSON.stringify({ id }) }),
  );
  const oldToken = await tokenFor(id, 0);
  await first.stop();
  return { executionArn: executionArn!, oldToken };
}

describe('task tokens across a local-mode restart', () => {
  it('completes the run when the old token is sent after the restart, before the redriven run waits again', async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'sip-sfn-restart-'));
    const { executionArn, oldToken } = await waitingRunInterrupted(dataDir, 'early-1');
    const second = await startProcess(dataDir);

    // Act
    await second.sfn.send(new SendTaskSuccessCommand({ taskToken: oldToken, output: JSON.stringify({ approved: true, by: 'alice' }) }));
    second.service.resumeInterrupted();
    const done = await executionEnd(second.sfn, executionArn);
    const reused = await second.sfn
      .send(new SendTaskSuccessCommand({ taskToken: oldToken, output: '{}' }))
      .catch((error: unknown) => error);
    await second.stop();

    // Assess
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ id: 'early-1', prepared: 'prepared', review: { approved: true, by: 'alice' } });
    // The redriven run called the resource again (a fresh token), which the early decision settled at once.
    expect(sent.get('early-1')).toHaveLength(2);
    expect(reused).toBeInstanceOf(TaskTimedOut);
  });

  it('completes the run when the old token is sent after the redriven run waits again, and routes a failure to its Catch', async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'sip-sfn-restart-'));
    const approved = await waitingRunInterrupted(dataDir, 'late-1');
    const rejected = await waitingRunInterrupted(dataDir, 'late-2');
    const second = await startProcess(dataDir);
    second.service.resumeInterrupted();
    const newToken = await tokenFor('late-1', 1);
    await tokenFor('late-2', 1);

    // Act
    await second.sfn.send(new SendTaskSuccessCommand({ taskToken: approved.oldToken, output: JSON.stringify({ approved: true }) }));
    await second.sfn.send(new SendTaskFailureCommand({ taskToken: rejected.oldToken, error: 'ReviewRejected', cause: 'no' }));
    const done = await executionEnd(second.sfn, approved.executionArn);
    const failedOver = await executionEnd(second.sfn, rejected.executionArn);
    const newReused = await second.sfn
      .send(new SendTaskSuccessCommand({ taskToken: newToken, output: '{}' }))
      .catch((error: unknown) => error);
    await second.stop();

    // Assess
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!).review).toEqual({ approved: true });
    expect(failedOver.status).toBe('SUCCEEDED');
    expect(JSON.parse(failedOver.output!).rejected).toEqual({ Error: 'ReviewRejected', Cause: 'no' });
    expect(newReused).toBeInstanceOf(TaskTimedOut);
  });

  it('keeps a decision sent while the stack was up but the run not yet redriven across a second restart', async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'sip-sfn-restart-'));
    const { executionArn, oldToken } = await waitingRunInterrupted(dataDir, 'twice-1');
    const second = await startProcess(dataDir);
    await second.sfn.send(new SendTaskSuccessCommand({ taskToken: oldToken, output: JSON.stringify({ approved: 'kept' }) }));
    await second.stop();

    // Act
    const third = await startProcess(dataDir);
    third.service.resumeInterrupted();
    const done = await executionEnd(third.sfn, executionArn);
    await third.stop();

    // Assess
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!).review).toEqual({ approved: 'kept' });
    // Nothing is left open for a run that has ended.
    const fourth = await startProcess(dataDir);
    await fourth.stop();
    expect(readFileSync(join(dataDir, 'stepfunctions', 'task-tokens.jsonl'), 'utf8')).toBe('');
  });

  it('answers TaskDoesNotExist (the API: 409 ReviewClosed) for a token whose run ended before the restart', async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'sip-sfn-restart-'));
    const first = await startProcess(dataDir);
    const { executionArn } = await first.sfn.send(
      new StartExecutionCommand({ stateMachineArn: MACHINE.arn, name: 'ended-1', input: JSON.stringify({ id: 'ended-1' }) }),
    );
    const token = await tokenFor('ended-1', 0);
    await first.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
    await executionEnd(first.sfn, executionArn!);
    await first.stop();

    // Act
    const second = await startProcess(dataDir);
    const late = await second.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })).catch((error: unknown) => error);
    await second.stop();

    // Assess
    expect((late as Error).name).toBe('TaskDoesNotExist');
  });
});
