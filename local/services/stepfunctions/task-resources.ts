import { eachState, type AslDefinition } from './asl-walker';
import { LambdaServiceError } from '../lambda/errors';
import { TaskFailedError } from './errors';
import { applyJsonToString, type StringifyPlan } from './json-to-string-fix';
import { startExecutionSync } from './sync-executions';
import { insertTaskToken, takeInputTimeout, WAIT_FOR_TASK_TOKEN, type TaskTokenPlan } from './task-token-fix';
import type { CallbackLimits, IssuedToken } from './task-tokens';

/** What the Task states of a definition can call: the local Lambda runtime and the AWS SDK pointed at the edge. */
export interface TaskInvokers {
  /** Invokes a function by name or ARN; rejects with an error named after the handler's errorType. */
  invokeLambda(functionNameOrArn: string, payload: unknown): Promise<unknown>;
  /** Calls `@aws-sdk/client-<service>`'s `<Action>Command` against the local edge. */
  callSdk(service: string, action: string, params: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/** One attempt of a Task, recorded for the execution history. */
export interface TaskAttempt {
  /** `lambda` for a bare Lambda ARN (LambdaFunction* events), `task` for a service integration (Task* events). */
  kind: 'lambda' | 'task';
  resourceType: string;
  resource: string;
  parameters: unknown;
  timeoutSeconds?: number;
  startedAt: number;
  endedAt?: number;
  output?: unknown;
  /** For `.waitForTaskToken`: when the resource call returned, and what it returned (the TaskSubmitted event). */
  submittedAt?: number;
  submitOutput?: unknown;
  heartbeatSeconds?: number;
  error?: string;
  cause?: string;
}

type TaskState = { Type: 'Task'; Resource: string; TimeoutSeconds?: number };

// The error prefix Step Functions gives SDK-integration errors, e.g. "SesV2.MessageRejected".
const ERROR_PREFIX: Record<string, string> = {
  sns: 'SNS',
  sesv2: 'SesV2',
  s3: 'S3',
  dynamodb: 'DynamoDB',
  sqs: 'SQS',
  ssm: 'Ssm',
  rekognition: 'Rekognition',
  events: 'EventBridge',
  eventbridge: 'EventBridge',
  mediaconvert: 'MediaConvert',
};

/** The execution a Task runs in: the optimized PutEvents integration adds both ARNs to each event's resources. */
export interface TaskExecution {
  executionArn: string;
  stateMachineArn: string;
}

/** What `.waitForTaskToken` states need: their plan, a fresh token per attempt, and a note when the call went out. */
export interface CallbackTasks {
  plan: TaskTokenPlan;
  /** `limits` overrides the plan's (a timeout read from the state input through TimeoutSecondsPath). */
  issue(stateName: string, limits?: Partial<CallbackLimits>): IssuedToken;
  submitted(stateName: string, attempt: TaskAttempt): void;
  /**
   * Runs a wait on a child execution (`startExecution.sync`) outside the execution's concurrency slot, so parents that
   * fill every slot never stall the children they wait for.
   */
  waitingOnChild?<T>(wait: () => Promise<T>): Promise<T>;
}

const START_EXECUTION_SYNC = /^arn:[^:]+:states:::states:startExecution\.sync(:2)?$/;

/**
 * The Run a Job (.sync) integrations local mode emulates: start the job, then poll it until it ends, as Step Functions
 * does (it learns of the end through EventBridge and GetJob). The task's output is the final description; a job that
 * ends in failure fails the task with States.TaskFailed and the description as the cause.
 */
/** What a job service answers to its create and describe calls (MediaConvert: `{ Job: { Id, Status, … } }`). */
type JobDescription = { Job?: { Id?: string; Status?: string } };

const SYNC_JOBS: Record<
  string,
  {
    describe: string;
    id(started: JobDescription): string | undefined;
    idParam: string;
    status(description: JobDescription): 'running' | 'succeeded' | 'failed';
  }
> = {
  'mediaconvert:createJob': {
    describe: 'getJob',
    id: (started) => started.Job?.Id,
    idParam: 'Id',
    status: (d) =>
      d.Job?.Status === 'COMPLETE' ? 'succeeded' : d.Job?.Status === 'ERROR' || d.Job?.Status === 'CANCELED' ? 'failed' : 'running',
  },
};

/** How often a .sync job is polled locally (Step Functions is told by an event; this keeps tests quick). */
export const SYNC_POLL_MS = 500;

/**
 * Builds aws-local-stepfunctions' `taskResourceLocalHandlers` (keyed by state name) for every Task state of a
 * definition, nested ones included, and reports each attempt so the history has the Task events AWS shows.
 * @throws TaskFailedError from a handler, named as the ASL `ErrorEquals` expects.
 */
export function buildTaskHandlers(
  definition: AslDefinition,
  invokers: TaskInvokers,
  region: string,
  onAttempt: (stateName: string, attempt: TaskAttempt) => void,
  stringify: StringifyPlan = {},
  execution?: TaskExecution,
  callbacks?: CallbackTasks,
): Record<string, (input: unknown) => Promise<unknown>> {
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const [stateName, state] of eachState(definition)) {
    if (state.Type !== 'Task') continue;
    const task = state as unknown as TaskState;
    const callback = WAIT_FOR_TASK_TOKEN.test(task.Resource) ? callbacks?.plan[stateName] : undefined;
    const call = callback
      ? resolveResource(task.Resource.replace(WAIT_FOR_TASK_TOKEN, ''), invokers, execution)
      : resolveResource(task.Resource, invokers, execution);
    handlers[stateName] = async (engineInputWithTimeout) => {
      const { input: engineInput, timeoutSeconds: inputTimeout } = callback?.timeoutFromInput
        ? takeInputTimeout(engineInputWithTimeout)
        : { input: engineInputWithTimeout, timeoutSeconds: undefined };
      const issued = callback && callbacks?.issue(stateName, inputTimeout ? { timeoutSeconds: inputTimeout } : undefined);
      const withToken = issued ? insertTaskToken(engineInput, callback.tokenFields, issued.token) : engineInput;
      const input = applyJsonToString(withToken, stringify[stateName]);
      const described = call.describe(region);
      if (callback) described.resource += '.waitForTaskToken';
      const attempt: TaskAttempt = {
        ...described,
        parameters: input,
        timeoutSeconds: callback ? (inputTimeout ?? callback.limits.timeoutSeconds) : task.TimeoutSeconds,
        heartbeatSeconds: callback?.limits.heartbeatSeconds,
        startedAt: Date.now(),
      };
      onAttempt(stateName, attempt);
      try {
        const waitsOnChild = START_EXECUTION_SYNC.test(task.Resource) && callbacks?.waitingOnChild;
        attempt.output = waitsOnChild ? await waitsOnChild(() => call.run(input)) : await call.run(input);
        if (issued && callbacks) {
          attempt.submitOutput = attempt.output;
          attempt.submittedAt = Date.now();
          callbacks.submitted(stateName, attempt);
          attempt.output = await issued.result;
        }
        return attempt.output as never;
      } catch (err) {
        issued?.close();
        const failure =
          err instanceof TaskFailedError ? err : new TaskFailedError((err as Error).name ?? 'Error', (err as Error).message ?? String(err));
        attempt.error = failure.name;
        attempt.cause = failure.message;
        throw failure;
      } finally {
        attempt.endedAt = Date.now();
      }
    };
  }
  return handlers;
}

interface ResourceCall {
  describe(region: string): Pick<TaskAttempt, 'kind' | 'resourceType' | 'resource'>;
  run(input: unknown): Promise<unknown>;
}

function resolveResource(resource: string, invokers: TaskInvokers, execution?: TaskExecution): ResourceCall {
  if (/^arn:[^:]+:lambda:/.test(resource)) {
    return {
      describe: () => ({ kind: 'lambda', resourceType: 'lambda', resource }),
      run: (input) => invokeLambda(invokers, resource, input),
    };
  }
  const integration = /^arn:[^:]+:states:::([^:.]+)(?::([^:.]+))?(?::([^.]+))?(\.(sync|waitForTaskToken)(:2)?)?$/.exec(resource);
  if (!integration) return unsupported(resource);
  const [, first, second, third, pattern] = integration;
  if (first === 'states' && second === 'startExecution' && (pattern === '.sync' || pattern === '.sync:2')) {
    return {
      describe: () => ({ kind: 'task', resourceType: 'states', resource: `startExecution${pattern}` }),
      run: (input) => startExecutionSync(invokers, input as Record<string, unknown>, pattern === '.sync:2'),
    };
  }
  const sync = pattern === '.sync' && second ? SYNC_JOBS[`${first}:${second}`] : undefined;
  if (sync) {
    return {
      describe: () => ({ kind: 'task', resourceType: first, resource: `${second}.sync` }),
      run: (input) => runSyncJob(invokers, first, second as string, sync, input as Record<string, unknown>),
    };
  }
  if (pattern) return unsupported(resource, `the ${pattern} pattern for this integration`);
  if (first === 'aws-sdk' && second && third) {
    const service = second;
    const action = third;
    return {
      describe: () => ({ kind: 'task', resourceType: `aws-sdk:${service}`, resource: action }),
      run: (input) => callSdk(invokers, service, action, input as Record<string, unknown>, ERROR_PREFIX[service] ?? capitalize(service)),
    };
  }
  if (first === 'lambda' && second === 'invoke') {
    return {
      describe: () => ({ kind: 'task', resourceType: 'lambda', resource: 'invoke' }),
      run: async (input) => {
        const { FunctionName, Payload } = input as { FunctionName: string; Payload?: unknown };
        const payload = await invokeLambda(invokers, FunctionName, Payload ?? {});
        return {
          ExecutedVersion: '$LATEST',
          Payload: payload,
          StatusCode: 200,
          SdkHttpMetadata: { HttpStatusCode: 200 },
          SdkResponseMetadata: {},
        };
      },
    };
  }
  if (first === 'sns' && second === 'publish') {
    return {
      describe: () => ({ kind: 'task', resourceType: 'sns', resource: 'publish' }),
      run: (input) => {
        const params = { ...(input as Record<string, unknown>) };
        // Step Functions sends a JSON Message as its serialised text.
        if (params.Message !== undefined && typeof params.Message !== 'string') params.Message = JSON.stringify(params.Message);
        return callSdk(invokers, 'sns', 'publish', params, 'SNS');
      },
    };
  }
  if (first === 'events' && second === 'putEvents') {
    return {
      describe: () => ({ kind: 'task', resourceType: 'events', resource: 'putEvents' }),
      run: async (input) => {
        const params = input as { Entries?: Array<Record<string, unknown>> };
        // Step Functions sends a JSON Detail as its text and appends the execution and state machine ARNs to Resources.
        const entries = (params.Entries ?? []).map((entry) => ({
          ...entry,
          Detail: typeof entry.Detail === 'string' ? entry.Detail : JSON.stringify(entry.Detail),
          Resources: [
            ...((entry.Resources as string[] | undefined) ?? []),
            ...(execution ? [execution.executionArn, execution.stateMachineArn] : []),
          ],
        }));
        const output = (await callSdk(invokers, 'eventbridge', 'putEvents', { ...params, Entries: entries }, 'EventBridge')) as {
          FailedEntryCount?: number;
        };
        if ((output.FailedEntryCount ?? 0) > 0) throw new TaskFailedError('EventBridge.FailedEntry', JSON.stringify(output));
        return output;
      },
    };
  }
  if (first === 'sqs' && second === 'sendMessage') {
    return {
      describe: () => ({ kind: 'task', resourceType: 'sqs', resource: 'sendMessage' }),
      run: (input) => {
        const params = { ...(input as Record<string, unknown>) };
        // Step Functions sends a JSON MessageBody as its serialised text.
        if (params.MessageBody !== undefined && typeof params.MessageBody !== 'string')
          params.MessageBody = JSON.stringify(params.MessageBody);
        return callSdk(invokers, 'sqs', 'sendMessage', params, 'SQS');
      },
    };
  }
  if (second && ['dynamodb', 'sqs', 'sns', 'states', 'events'].includes(first)) {
    return {
      describe: () => ({ kind: 'task', resourceType: first, resource: second }),
      run: (input) =>
        callSdk(
          invokers,
          first === 'states' ? 'sfn' : first === 'events' ? 'eventbridge' : first,
          second,
          input as Record<string, unknown>,
          ERROR_PREFIX[first] ?? capitalize(first),
        ),
    };
  }
  return unsupported(resource);
}

async function invokeLambda(invokers: TaskInvokers, fn: string, payload: unknown): Promise<unknown> {
  try {
    return await invokers.invokeLambda(fn, payload);
  } catch (err) {
    if (err instanceof TaskFailedError) throw err;
    // A refusal by the Lambda service itself (throttling) is named Lambda.<error> by Step Functions.
    if (err instanceof LambdaServiceError)
      throw new TaskFailedError(
        `Lambda.${err.name}`,
        `${err.message} (Service: AWSLambda; Status Code: ${err.status}; Error Code: ${err.name})`,
      );
    const e = err as Error & { payload?: { errorType: string; errorMessage: string; trace?: string[] } };
    const body = e.payload ?? { errorType: e.name, errorMessage: e.message };
    // Step Functions puts Lambda's error document, as JSON text, into the Cause.
    throw new TaskFailedError(
      body.errorType,
      JSON.stringify({ errorMessage: body.errorMessage, errorType: body.errorType, trace: body.trace ?? [] }),
    );
  }
}

async function callSdk(
  invokers: TaskInvokers,
  service: string,
  action: string,
  params: Record<string, unknown>,
  prefix: string,
): Promise<unknown> {
  try {
    return await invokers.callSdk(service, action, params);
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number; requestId?: string } };
    const status = e.$metadata?.httpStatusCode ?? 500;
    throw new TaskFailedError(
      `${prefix}.${e.name}`,
      `${e.message} (Service: ${prefix}, Status Code: ${status}, Request ID: ${e.$metadata?.requestId ?? 'local'})`,
    );
  }
}

async function runSyncJob(
  invokers: TaskInvokers,
  service: string,
  action: string,
  job: (typeof SYNC_JOBS)[string],
  params: Record<string, unknown>,
): Promise<unknown> {
  const prefix = ERROR_PREFIX[service] ?? capitalize(service);
  const started = (await callSdk(invokers, service, action, params, prefix)) as JobDescription;
  const id = job.id(started);
  if (!id) throw new TaskFailedError('States.TaskFailed', `${action} answered without a job id: ${JSON.stringify(started)}`);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, SYNC_POLL_MS));
    const description = (await callSdk(invokers, service, job.describe, { [job.idParam]: id }, prefix)) as JobDescription;
    const status = job.status(description);
    if (status === 'succeeded') return description;
    if (status === 'failed') throw new TaskFailedError('States.TaskFailed', JSON.stringify(description));
  }
}

function unsupported(resource: string, what = 'this resource'): ResourceCall {
  return {
    describe: () => ({ kind: 'task', resourceType: 'unsupported', resource }),
    run: async () => {
      throw new TaskFailedError('States.Runtime', `Local mode does not support ${what}: ${resource}`);
    },
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
