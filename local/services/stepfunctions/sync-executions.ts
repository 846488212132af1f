import { TaskFailedError } from './errors';
import type { TaskInvokers } from './task-resources';

/** How often a `.sync` task asks the local Step Functions service whether its child execution has ended. */
const POLL_MILLISECONDS = 25;

/**
 * `states:startExecution.sync` and `.sync:2`: starts the child execution through the local edge, waits for it to
 * end, and answers as Step Functions does: DescribeExecution's fields, with `Output` as JSON text (`.sync`) or as
 * JSON (`.sync:2`). A child that does not succeed fails the task with States.TaskFailed, its description as the cause.
 */
export async function startExecutionSync(invokers: TaskInvokers, params: Record<string, unknown>, jsonOutput: boolean): Promise<unknown> {
  // The ASL names the fields as the API reference does (StateMachineArn, Name, Input); the SDK takes them in camelCase.
  // Step Functions sends a JSON Input as its serialised text.
  const input = params.Input === undefined || typeof params.Input === 'string' ? params.Input : JSON.stringify(params.Input);
  const request = { stateMachineArn: params.StateMachineArn, name: params.Name, input, traceHeader: params.TraceHeader };
  const started = (await invokers.callSdk('sfn', 'startExecution', request)) as { executionArn: string };
  for (;;) {
    const described = (await invokers.callSdk('sfn', 'describeExecution', { executionArn: started.executionArn })) as Record<
      string,
      unknown
    >;
    if (described.status !== 'RUNNING') return finished(described, jsonOutput);
    await new Promise((resolve) => setTimeout(resolve, POLL_MILLISECONDS));
  }
}

function finished(described: Record<string, unknown>, jsonOutput: boolean): unknown {
  const answer: Record<string, unknown> = {
    ExecutionArn: described.executionArn,
    StateMachineArn: described.stateMachineArn,
    Name: described.name,
    Status: described.status,
    StartDate: toMillis(described.startDate),
    StopDate: toMillis(described.stopDate),
    Input: jsonOutput ? parsed(described.input) : described.input,
    Output: jsonOutput ? parsed(described.output) : described.output,
    ...(described.error !== undefined ? { Error: described.error } : {}),
    ...(described.cause !== undefined ? { Cause: described.cause } : {}),
  };
  if (described.status !== 'SUCCEEDED') throw new TaskFailedError('States.TaskFailed', JSON.stringify(answer));
  return answer;
}

function parsed(text: unknown): unknown {
  return typeof text === 'string' ? JSON.parse(text) : (text ?? null);
}

function toMillis(date: unknown): number | undefined {
  return date instanceof Date ? date.getTime() : typeof date === 'number' ? date : undefined;
}
