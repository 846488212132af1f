import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { StepFunctionsService } from '../../step-functions';
import type { TaskInvokers } from '../../task-resources';
import { testStateMachine } from '../support/sfn-over-edge';

const MACHINE = testStateMachine('Machine', {
  StartAt: 'Work',
  States: { Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:work', End: true } },
});

/** A task that holds until the test releases it, counting how many run at once. */
function gatedInvokers() {
  const gate = { active: 0, max: 0, waiting: [] as (() => void)[] };
  const invokers: TaskInvokers = {
    async invokeLambda() {
      gate.active += 1;
      gate.max = Math.max(gate.max, gate.active);
      await new Promise<void>((release) => gate.waiting.push(release));
      gate.active -= 1;
      return { done: true };
    },
    async callSdk() {
      return {};
    },
  };
  return { gate, invokers };
}

/** Waits (without a clock) until the given number of tasks hold at the gate. */
async function untilHolding(gate: { waiting: unknown[] }, count: number): Promise<void> {
  while (gate.waiting.length < count) await new Promise((resolve) => setImmediate(resolve));
}

describe('local Step Functions concurrency', () => {
  const saved = process.env.LOCAL_CONCURRENCY;
  afterEach(() => {
    if (saved === undefined) delete process.env.LOCAL_CONCURRENCY;
    else process.env.LOCAL_CONCURRENCY = saved;
  });

  it.each([
    ['the configured limit', 2, undefined],
    ['LOCAL_CONCURRENCY', undefined, '3'],
    ['the number of cores by default', undefined, undefined],
  ])('bounds the executions running at once by %s and queues the rest as RUNNING', async (_label, option, env) => {
    // Prepare
    if (env === undefined) delete process.env.LOCAL_CONCURRENCY;
    else process.env.LOCAL_CONCURRENCY = env;
    const limit = option ?? (env ? Number(env) : cpus().length);
    const { gate, invokers } = gatedInvokers();
    const service = new StepFunctionsService({
      dataDir: mkdtempSync(join(tmpdir(), 'sip-sfn-conc-')),
      stateMachines: [MACHINE],
      invokers,
      region: 'us-east-1',
      concurrency: option,
    });
    const total = limit + 3;

    // Act
    for (let index = 0; index < total; index += 1)
      service.startExecution({ stateMachineArn: MACHINE.arn, name: `run-${index}`, input: '{}' });
    await untilHolding(gate, limit);
    const whileFull = service.allExecutions().map((execution) => execution.status);
    while (service.allExecutions().some((execution) => execution.status === 'RUNNING')) {
      gate.waiting.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await service.waitForIdle();
    await service.close();

    // Assess
    expect(whileFull).toEqual(Array.from({ length: total }, () => 'RUNNING'));
    expect(gate.max).toBe(limit);
    expect(service.allExecutions().map((execution) => execution.status)).toEqual(Array.from({ length: total }, () => 'SUCCEEDED'));
  });
});
