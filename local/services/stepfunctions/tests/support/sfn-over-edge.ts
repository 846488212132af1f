/**
 * Test support: state machines of the test account, the local Step Functions service behind its own edge with an SDK
 * client pointed at it, and the polling helpers the wire tests share (the run's end, a value a task resource has
 * received).
 */
import { DescribeExecutionCommand, type DescribeExecutionCommandOutput, SFNClient } from '@aws-sdk/client-sfn';
import { startEdgeServer, type EdgeServer } from '../../../../edge/server';
import type { LocalStateMachine } from '../../../../template/types';
import { TEST_CREDENTIALS } from '../../../../edge/tests/support/edge-client';
import { stepFunctionsEdgeService } from '../../edge-service';
import { StepFunctionsService, type StepFunctionsOptions } from '../../step-functions';

/** A STANDARD state machine of the test account (us-east-1, 000000000000) named `name`, running `definition`. */
export function testStateMachine(name: string, definition: LocalStateMachine['definition']): LocalStateMachine {
  return {
    logicalId: name,
    name,
    arn: `arn:aws:states:us-east-1:000000000000:stateMachine:${name}`,
    type: 'STANDARD',
    definitionPath: '',
    substitutions: {},
    definition,
  };
}

export interface SfnOverEdge {
  service: StepFunctionsService;
  edge: EdgeServer;
  sfn: SFNClient;
  /** Stops as Ctrl-C does: running executions are aborted without an end (the next service redrives them). */
  stop(): Promise<void>;
}

/** One local-mode process's Step Functions: the service on `options.dataDir` behind an edge on a free port. */
export async function startSfnOverEdge(options: StepFunctionsOptions): Promise<SfnOverEdge> {
  const service = new StepFunctionsService(options);
  const edge = await startEdgeServer({ port: 0, services: [stepFunctionsEdgeService(service)] });
  const sfn = new SFNClient({ endpoint: edge.url, region: options.region, credentials: TEST_CREDENTIALS });
  return {
    service,
    edge,
    sfn,
    stop: async () => {
      await service.close();
      await edge.close();
    },
  };
}

/** Polls DescribeExecution until the run is no longer RUNNING. */
export async function executionEnd(
  sfn: SFNClient,
  executionArn: string,
  { attempts = 400, intervalMs = 25 } = {},
): Promise<DescribeExecutionCommandOutput> {
  for (let i = 0; i < attempts; i += 1) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${executionArn} never ended`);
}

/** Polls `read` until it gives a value (e.g. the task token a resource has received), or fails naming `what`. */
export async function eventually<T>(what: string, read: () => T | undefined, { attempts = 400, intervalMs = 20 } = {}): Promise<T> {
  for (let i = 0; i < attempts; i += 1) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`no ${what}`);
}
