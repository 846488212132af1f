import type { EdgeRequest, EdgeResponse, EdgeService } from '../../edge/types';
import { SfnApiError } from './errors';
import type { StepFunctionsService } from './step-functions';

const DATE_KEYS = new Set(['startDate', 'stopDate', 'redriveDate', 'timestamp', 'creationDate', 'updateDate']);

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
  };
  return {
    name: 'stepfunctions',
    matches: (req: EdgeRequest) => (req.target ?? '').startsWith('AWSStepFunctions.'),
    async handle(req: EdgeRequest): Promise<EdgeResponse> {
      const operation = (req.target ?? '').slice('AWSStepFunctions.'.length);
      const run = operations[operation];
      if (!run) return error(new SfnApiError('UnknownOperationException', `Local mode does not implement ${operation}`));
      let params: Record<string, never>;
      try {
        params = req.body.length ? JSON.parse(req.body.toString('utf8')) : {};
      } catch {
        return error(new SfnApiError('SerializationException', 'Request body is not valid JSON'));
      }
      try {
        return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(toWire(run(params))) };
      } catch (err) {
        if (err instanceof SfnApiError) return error(err);
        return error(new SfnApiError('InternalServerError', (err as Error).message, 500));
      }
    },
  };
}

function error(err: SfnApiError): EdgeResponse {
  return {
    status: err.status,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': err.code },
    body: JSON.stringify({ __type: `com.amazonaws.swf.service.v2.model#${err.code}`, message: err.message }),
  };
}

function toWire(value: unknown, key = ''): unknown {
  if (typeof value === 'number' && DATE_KEYS.has(key)) return value / 1000;
  if (Array.isArray(value)) return value.map((v) => toWire(v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toWire(v, k)]));
  }
  return value;
}
