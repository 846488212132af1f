import { awsJsonProtocol } from '../../edge/protocols/aws-json';
import { matchTarget } from '../../edge/router';
import type { EdgeRequest, EdgeResponse, EdgeService } from '../../edge/types';
import { sfnApiError } from './errors';
import type { StepFunctionsService } from './step-functions';

const DATE_KEYS = new Set(['startDate', 'stopDate', 'redriveDate', 'timestamp', 'creationDate', 'updateDate']);

/** Step Functions' JSON 1.0 protocol, with the namespace its errors carry in `__type`. */
const SFN_JSON = awsJsonProtocol({ version: '1.0', namespace: 'com.amazonaws.swf.service.v2.model' });

type Operation = (params: Record<string, never>) => unknown;

/**
 * Serves the Step Functions JSON 1.0 protocol (`X-Amz-Target: AWSStepFunctions.<Operation>`) from a StepFunctionsService.
 * Dates go out as epoch seconds, as the awsJson1_0 protocol encodes them.
 */
export function stepFunctionsEdgeService(service: StepFunctionsService): EdgeService {
  const operations: Record<string, Operation> = {
    StartExecution: (p) => service.startExecution(p),
    DescribeExecution: (p) => service.describeExecution(p),
    ListExecutions: (p) => service.listExecutions(p),
    GetExecutionHistory: (p) => service.getExecutionHistory(p),
    StopExecution: (p) => service.stopExecution(p),
    RedriveExecution: (p) => service.redriveExecution(p),
    DescribeStateMachine: (p) => service.describeStateMachine(p),
    DescribeStateMachineForExecution: (p) => service.describeStateMachineForExecution(p),
    ListStateMachines: (p) => service.listStateMachines(p),
    SendTaskSuccess: (p) => service.taskTokens.succeed(p),
    SendTaskFailure: (p) => service.taskTokens.fail(p),
    SendTaskHeartbeat: (p) => service.taskTokens.heartbeat(p),
  };
  return {
    name: 'stepfunctions',
    protocol: SFN_JSON,
    matches: matchTarget('AWSStepFunctions.'),
    async handle(req: EdgeRequest): Promise<EdgeResponse> {
      const operation = (req.target ?? '').slice('AWSStepFunctions.'.length);
      const run = operations[operation];
      if (!run) throw sfnApiError('UnknownOperationException', `Local mode does not implement ${operation}`);
      return SFN_JSON.ok(toWire(run(SFN_JSON.parseBody(req) as Record<string, never>)));
    },
  };
}

function toWire(value: unknown, key = ''): unknown {
  if (typeof value === 'number' && DATE_KEYS.has(key)) return value / 1000;
  if (Array.isArray(value)) return value.map((v) => toWire(v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toWire(v, k)]),
    );
  }
  return value;
}
