import { executionArnFor, executionNameFor } from '@smart-image-pipeline/contracts';
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

/** The ARN substituted for ${NotificationTopicArn}. */
export const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:${STACK}-NotificationTopic-Xy12Ab34`;
const STATE_MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${STACK}-image-pipeline`;

/** What one run did, as seen from outside: states, retries, messages and the end. */
export interface PipelineRun {
  status: 'SUCCEEDED' | 'FAILED';
  output: Json;
  error: { name: string; cause: string } | null;
  executionArn: string;
  statesEntered: string[];
  retriedStates: string[];
  published: { state: string; topicArn: string; message: Json; attributes: Json }[];
  emails: Json[];
}

/** Options of one run. */
export interface RunSettings {
  /** Function logical ID -> the real handler export. */
  handlers: Record<string, Handler>;
  /** The stack has an SES sender (DefinitionSubstitutions EmailEnabled). */
  emailEnabled: boolean;
}

/** The real definition with the placeholders CloudFormation fills in for this stack. */
function loadDefinition(emailEnabled: boolean): StateMachineDefinition {
  const text = readFileSync(join(__dirname, '..', '..', '..', 'statemachine', 'image-pipeline.asl.json'), 'utf8');
  const values: Record<string, string> = {
    Partition: 'aws',
    NotificationTopicArn: TOPIC_ARN,
    EmailEnabled: String(emailEnabled),
    NotificationEmailSender: emailEnabled ? 'images@example.com' : 'disabled@example.invalid',
  };
  return JSON.parse(text.replace(/\$\{([A-Za-z0-9]+)\}/g, (_m, name: string) =>
    values[name] ?? (name.endsWith('FunctionArn') ? functionArn(name.replace(/Arn$/, '')) : `\${${name}}`)));
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

/**
 * Runs statemachine/image-pipeline.asl.json with aws-local-stepfunctions: each lambda:invoke Task calls the
 * real handler its FunctionName ARN names; SNS and SES Tasks record their parameters instead of sending.
 * Retry waits are overridden to zero so retries happen, but without sleeping.
 */
export async function runPipeline(input: Json, settings: RunSettings): Promise<PipelineRun> {
  const definition = loadDefinition(settings.emailEnabled);
  const arnToHandler = new Map(Object.entries(settings.handlers).map(([id, handler]) => [functionArn(id), handler]));
  const published: PipelineRun['published'] = [];
  const emails: Json[] = [];
  const localHandlers: Record<string, (input: Json) => Promise<Json>> = {};
  const retryIntervals: Record<string, number> = {};

  for (const [stateName, state] of Object.entries(definition.States) as [string, Json][]) {
    if (state.Type !== 'Task') continue;
    retryIntervals[stateName] = 0;
    if (state.Resource === 'arn:aws:states:::lambda:invoke') {
      const handler = arnToHandler.get(state.Parameters.FunctionName);
      if (handler === undefined) throw new Error(`${stateName} invokes ${state.Parameters.FunctionName}, which no handler serves`);
      localHandlers[stateName] = (parameters) => invokeLikeLambda(handler, parameters.Payload);
    } else if (state.Resource === 'arn:aws:states:::sns:publish') {
      localHandlers[stateName] = async (parameters) => {
        published.push({
          state: stateName,
          topicArn: parameters.TopicArn,
          // Step Functions publishes a JSON Message as its serialised text; subscribers parse that text.
          message: JSON.parse(typeof parameters.Message === 'string' ? parameters.Message : JSON.stringify(parameters.Message)),
          attributes: parameters.MessageAttributes,
        });
        return { MessageId: `sns-${published.length}` };
      };
    } else if (state.Resource === 'arn:aws:states:::aws-sdk:sesv2:sendEmail') {
      localHandlers[stateName] = async (parameters) => {
        emails.push(parameters);
        return { MessageId: `ses-${emails.length}` };
      };
    } else {
      throw new Error(`${stateName} uses ${state.Resource}, which this test does not emulate`);
    }
  }

  const executionName = executionNameFor(input.imageId, input.revision);
  const executionArn = executionArnFor(STATE_MACHINE_ARN, executionName);
  const machine = new StateMachine(definition, { validationOptions: { checkArn: true, checkPaths: true } });
  const execution = machine.run(input, {
    overrides: { taskResourceLocalHandlers: localHandlers, retryIntervalOverrides: retryIntervals },
    context: {
      Execution: { Id: executionArn, Name: executionName, Input: input, StartTime: new Date().toISOString() },
      StateMachine: { Id: STATE_MACHINE_ARN, Name: `${STACK}-image-pipeline` },
    } as never,
  });
  const eventsPromise = collect(execution.eventLogs);
  const output = await execution.result.catch(() => null);
  const events = await eventsPromise;

  const failed = events.find((event) => event.type === 'ExecutionFailed') as { Error: string; Cause: unknown } | undefined;
  return {
    status: failed ? 'FAILED' : 'SUCCEEDED',
    output,
    error: failed ? { name: failed.Error, cause: String(failed.Cause) } : null,
    executionArn,
    statesEntered: events.filter((event) => event.type === 'StateEntered').map((event) => (event as { state: { name: string } }).state.name),
    retriedStates: events.filter((event) => event.type === 'StateRetried').map((event) => (event as { state: { name: string } }).state.name),
    published,
    emails,
  };
}
