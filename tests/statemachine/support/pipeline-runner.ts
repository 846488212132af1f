import { executionArnFor, executionNameFor } from '@smart-image-pipeline/contracts';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;
type Json = any;

/** A Lambda handler as the functions export it. */
export type Handler = (event: unknown) => Promise<unknown>;

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const STACK = 'smart-image-pipeline';

/** The ARN CloudFormation would substitute for a `<LogicalId>Arn` placeholder of a function. */
export function functionArn(logicalId: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${STACK}-${logicalId}-Xy12Ab34`;
}

/** The bus and queue CloudFormation would substitute for ${EventBusName} and ${UnpublishedEventsQueueUrl}. */
export const EVENT_BUS_NAME = `${STACK}-events`;
export const UNPUBLISHED_EVENTS_QUEUE_URL = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${STACK}-UnpublishedEventsQueue-Xy12Ab34`;
export const MEDIACONVERT_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${STACK}-MediaConvertRole-Xy12Ab34`;
const STATE_MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${STACK}-image-pipeline`;

/** What one run did, as seen from outside: states, retries, messages and the end. */
export interface PipelineRun {
  status: 'SUCCEEDED' | 'FAILED';
  output: Json;
  error: { name: string; cause: string } | null;
  executionArn: string;
  statesEntered: string[];
  retriedStates: string[];
  /** Every event PutEvents accepted, as EventBridge delivers it to a rule's target. */
  events: Json[];
  /** PutEvents calls made (attempts included), with the state that made them. */
  putEventsCalls: string[];
  /** Messages sent to the unpublished-events queue, parsed. */
  kept: Json[];
}

/** Options of one run. */
export interface RunSettings {
  /** Function logical ID -> the real handler export. */
  handlers: Record<string, Handler>;
  /** How PutEvents answers: by default it accepts every entry. */
  eventBus?: { failWith?: 'EventBridge.FailedEntry' | 'EventBridge.InternalException' | 'AccessDeniedException' };
  /** Make sqs:sendMessage fail with this error name. */
  queueFailsWith?: string;
  /**
   * Runs a mediaconvert:createJob.sync Task: CreateJob's parameters in, the final GetJob answer (`{ Job }`) out; a
   * throw fails the Task. Without it a video run fails at its first transcode.
   */
  mediaConvert?: (parameters: Json) => Promise<Json>;
}

/** The real definition with the placeholders CloudFormation fills in for this stack. */
function loadDefinition(): StateMachineDefinition {
  const text = readFileSync(join(__dirname, '..', '..', '..', 'statemachine', 'image-pipeline.asl.json'), 'utf8');
  const values: Record<string, string> = {
    Partition: 'aws',
    MediaConvertRoleArn: MEDIACONVERT_ROLE_ARN,
    EventBusName: EVENT_BUS_NAME,
    UnpublishedEventsQueueUrl: UNPUBLISHED_EVENTS_QUEUE_URL,
  };
  return JSON.parse(
    text.replace(
      /\$\{([A-Za-z0-9]+)\}/g,
      (_m, name: string) => values[name] ?? (name.endsWith('FunctionArn') ? functionArn(name.replace(/Arn$/, '')) : `\${${name}}`),
    ),
  );
}

/**
 * Invokes a handler the way the lambda:invoke integration does: JSON in, `{ Payload }` out, and a thrown
 * error becomes Error = its name and Cause = Lambda's JSON error document.
 */
async function invokeLikeLambda(handler: Handler, payload: unknown): Promise<Json> {
  try {
    const result = await handler(JSON.parse(JSON.stringify(payload)));
    return { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: JSON.parse(JSON.stringify(result ?? null)) };
  } catch (error) {
    const { name, message } = error as Error;
    const failure = new Error(JSON.stringify({ errorType: name, errorMessage: message, trace: [] }));
    failure.name = name;
    throw failure;
  }
}

async function collect(events: AsyncGenerator<EventLog>): Promise<EventLog[]> {
  const all: EventLog[] = [];
  for await (const event of events) all.push(event);
  return all;
}

/** A Task failure named as Step Functions names it, so Retry and Catch match it. */
function taskError(name: string, cause: string): Error {
  return Object.assign(new Error(cause), { name });
}

/**
 * The events:putEvents integration as Step Functions and EventBridge perform it: each entry becomes an event with
 * EventBridge's envelope, and the execution and state machine ARNs appended to its resources; a non-zero
 * FailedEntryCount fails the Task with EventBridge.FailedEntry.
 */
function putEvents(parameters: Json, context: { executionArn: string; failWith?: string }, events: Json[]): Json {
  if (context.failWith === 'EventBridge.FailedEntry') {
    throw taskError(
      'EventBridge.FailedEntry',
      JSON.stringify({
        FailedEntryCount: parameters.Entries.length,
        Entries: parameters.Entries.map(() => ({ ErrorCode: 'InternalFailure' })),
      }),
    );
  }
  if (context.failWith) throw taskError(context.failWith, 'PutEvents failed (test)');
  const accepted = (parameters.Entries as Json[]).map((entry) => ({
    version: '0',
    id: randomUUID(),
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: ACCOUNT,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: REGION,
    resources: [...(entry.Resources ?? []), context.executionArn, STATE_MACHINE_ARN],
    detail: JSON.parse(JSON.stringify(entry.Detail)),
    eventBusName: entry.EventBusName,
  }));
  events.push(...accepted);
  return { Entries: accepted.map((event) => ({ EventId: event.id })), FailedEntryCount: 0 };
}

/**
 * Runs statemachine/image-pipeline.asl.json with aws-local-stepfunctions: each lambda:invoke Task calls the
 * real handler its FunctionName ARN names; PutEvents and SQS Tasks record what they would send.
 * Retry waits are overridden to zero so retries happen, but without sleeping.
 */
export async function runPipeline(input: Json, settings: RunSettings): Promise<PipelineRun> {
  const definition = loadDefinition();
  const arnToHandler = new Map(Object.entries(settings.handlers).map(([id, handler]) => [functionArn(id), handler]));
  const events: Json[] = [];
  const putEventsCalls: string[] = [];
  const kept: Json[] = [];
  const executionName = executionNameFor(input.imageId, input.revision);
  const executionArn = executionArnFor(STATE_MACHINE_ARN, executionName);
  const localHandlers: Record<string, (input: Json) => Promise<Json>> = {};
  const retryIntervals: Record<string, number> = {};

  // Wait states (the video analysis polling) pass at once; the polls still happen.
  const waitTimes: Record<string, number> = {};
  for (const [stateName, state] of Object.entries(definition.States) as [string, Json][]) {
    if (state.Type === 'Wait') waitTimes[stateName] = 0;
    if (state.Type !== 'Task') continue;
    retryIntervals[stateName] = 0;
    if (state.Resource === 'arn:aws:states:::lambda:invoke') {
      const handler = arnToHandler.get(state.Parameters.FunctionName);
      if (handler === undefined) throw new Error(`${stateName} invokes ${state.Parameters.FunctionName}, which no handler serves`);
      localHandlers[stateName] = (parameters) => invokeLikeLambda(handler, parameters.Payload);
    } else if (state.Resource === 'arn:aws:states:::events:putEvents') {
      localHandlers[stateName] = async (parameters) => {
        putEventsCalls.push(stateName);
        return putEvents(parameters, { executionArn, failWith: settings.eventBus?.failWith }, events);
      };
    } else if (state.Resource === 'arn:aws:states:::sqs:sendMessage') {
      localHandlers[stateName] = async (parameters) => {
        if (settings.queueFailsWith) throw taskError(settings.queueFailsWith, 'SendMessage failed (test)');
        // Step Functions sends a JSON MessageBody as its serialised text.
        kept.push({
          queueUrl: parameters.QueueUrl,
          body: JSON.parse(typeof parameters.MessageBody === 'string' ? parameters.MessageBody : JSON.stringify(parameters.MessageBody)),
        });
        return { MessageId: `sqs-${kept.length}`, MD5OfMessageBody: 'test' };
      };
    } else if (state.Resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') {
      // The callback pattern needs task tokens, which this runner does not issue: moderation-review.test.ts runs the
      // review branch on local mode's engine. A run that gets here fails loudly instead of waiting.
      localHandlers[stateName] = async () => {
        throw taskError('TestRunner.NoTaskTokens', `${stateName} waits for a task token; see moderation-review.test.ts`);
      };
    } else if (state.Resource === 'arn:aws:states:::mediaconvert:createJob.sync') {
      // The video branch's transcodes: the test says how MediaConvert answers.
      localHandlers[stateName] = async (parameters) => {
        if (!settings.mediaConvert)
          throw Object.assign(new Error(`${stateName}: this run has no MediaConvert`), { name: 'States.Runtime' });
        return settings.mediaConvert(parameters);
      };
    } else {
      throw new Error(`${stateName} uses ${state.Resource}, which this test does not emulate`);
    }
  }

  const machine = new StateMachine(definition, { validationOptions: { checkArn: true, checkPaths: true } });
  const execution = machine.run(input, {
    overrides: { taskResourceLocalHandlers: localHandlers, retryIntervalOverrides: retryIntervals, waitTimeOverrides: waitTimes },
    context: {
      Execution: { Id: executionArn, Name: executionName, Input: input, StartTime: new Date().toISOString() },
      StateMachine: { Id: STATE_MACHINE_ARN, Name: `${STACK}-image-pipeline` },
    } as never,
  });
  const logPromise = collect(execution.eventLogs);
  const output = await execution.result.catch(() => null);
  const log = await logPromise;

  const failed = log.find((event) => event.type === 'ExecutionFailed') as { Error: string; Cause: unknown } | undefined;
  return {
    status: failed ? 'FAILED' : 'SUCCEEDED',
    output,
    error: failed ? { name: failed.Error, cause: String(failed.Cause) } : null,
    executionArn,
    statesEntered: log.filter((entry) => entry.type === 'StateEntered').map((entry) => (entry as { state: { name: string } }).state.name),
    retriedStates: log.filter((entry) => entry.type === 'StateRetried').map((entry) => (entry as { state: { name: string } }).state.name),
    events,
    putEventsCalls,
    kept,
  };
}
