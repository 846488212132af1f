import type { TaskAttempt } from './task-resources';
import type { HistoryEvent } from './types';

/** The subset of aws-local-stepfunctions' event log that the history is derived from. */
export interface EngineEvent {
  type: string;
  timestamp: number;
  input?: unknown;
  output?: unknown;
  Error?: string;
  Cause?: unknown;
  index?: number;
  state?: { name: string; type: string; input: unknown; output?: unknown };
  parentState?: { name: string; type: string };
}

const json = (value: unknown): string => JSON.stringify(value ?? null);
const causeText = (cause: unknown): string => (typeof cause === 'string' ? cause : json(cause));

/**
 * Turns the engine's event log, plus the Task attempts the local handlers saw, into AWS's HistoryEvent list:
 * `TaskStateEntered`, `TaskScheduled`, `TaskStarted`, `TaskSucceeded`/`TaskFailed` (or `LambdaFunction*`),
 * `TaskStateExited`, and so on, each with an id and a previousEventId.
 */
export class HistoryBuilder {
  private readonly attempts = new Map<string, TaskAttempt[]>();

  /** `stateTypes` names the true type of states the engine runs as another (a Distributed Map runs as a local Task). */
  constructor(
    private readonly events: HistoryEvent[],
    private readonly persist: (event: HistoryEvent) => void,
    private readonly stateTypes: Record<string, string> = {},
  ) {}

  /** Appends a history event of the given type with its details object. */
  add(type: string, timestamp: number, details?: Record<string, unknown>): void {
    const last = this.events[this.events.length - 1];
    const event: HistoryEvent = { id: (last?.id ?? 0) + 1, previousEventId: last?.id ?? 0, timestamp, type };
    if (details) event[detailsKey(type)] = details;
    this.events.push(event);
    this.persist(event);
  }

  /**
   * Remembers a Task attempt until the engine reports how its state ended. Its Scheduled/Started events are written
   * on the next turn of the event loop, once the engine's `StateEntered` (dispatched in the same tick) has been
   * applied, so a running task shows in the history as it runs.
   */
  recordAttempt(stateName: string, attempt: TaskAttempt): void {
    const queue = this.attempts.get(stateName) ?? [];
    queue.push(attempt);
    this.attempts.set(stateName, queue);
    setImmediate(() => this.emitStart(attempt));
  }

  /** A `.waitForTaskToken` call went out: its TaskSubmitted event follows the attempt's Scheduled/Started, on the same deferred turn. */
  recordSubmitted(attempt: TaskAttempt): void {
    setImmediate(() => this.emitSubmitted(attempt));
  }

  /** Translates one engine event into history events. */
  apply(event: EngineEvent): void {
    const at = event.timestamp;
    const state = event.state;
    switch (event.type) {
      case 'ExecutionStarted':
        this.add('ExecutionStarted', at, {
          input: json(event.input),
          inputDetails: { truncated: false },
          roleArn: 'arn:aws:iam::000000000000:role/local',
        });
        return;
      case 'ExecutionSucceeded':
        this.add('ExecutionSucceeded', at, { output: json(event.output), outputDetails: { truncated: false } });
        return;
      case 'ExecutionFailed':
        this.add('ExecutionFailed', at, { error: event.Error, cause: causeText(event.Cause) });
        return;
      case 'ExecutionAborted':
        this.add('ExecutionAborted', at, {});
        return;
      case 'ExecutionTimeout':
        this.add('ExecutionTimedOut', at, { error: 'States.Timeout' });
        return;
      case 'StateEntered':
        if (state)
          this.add(`${this.stateTypes[state.name] ?? state.type}StateEntered`, at, {
            name: state.name,
            input: json(state.input),
            inputDetails: { truncated: false },
          });
        return;
      case 'StateExited':
        if (!state) return;
        if (state.type === 'Task') this.flushAttempt(state.name);
        this.add(`${this.stateTypes[state.name] ?? state.type}StateExited`, at, {
          name: state.name,
          output: json(state.output),
          outputDetails: { truncated: false },
        });
        return;
      case 'StateFailed':
        if (state?.type === 'Task') this.flushAttempt(state.name, event);
        return;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        this.add(event.type, at, { name: event.parentState?.name, index: event.index });
        return;
      case 'ParallelBranchStarted':
        this.add('ParallelStateStarted', at);
        return;
      default:
        // StateRetried and StateCaught have no event of their own in AWS: a retry is another Scheduled/Started pair.
        return;
    }
  }

  private emitStart(attempt: TaskAttempt & { started?: boolean }): void {
    if (attempt.started) return;
    attempt.started = true;
    const { prefix, what } = describe(attempt);
    const scheduled =
      attempt.kind === 'lambda' ? { input: json(attempt.parameters) } : { region: 'us-east-1', parameters: json(attempt.parameters) };
    const limits = {
      ...(attempt.timeoutSeconds ? { timeoutInSeconds: attempt.timeoutSeconds } : {}),
      ...(attempt.heartbeatSeconds ? { heartbeatInSeconds: attempt.heartbeatSeconds } : {}),
    };
    this.add(`${prefix}Scheduled`, attempt.startedAt, { ...what, ...scheduled, ...limits });
    this.add(`${prefix}Started`, attempt.startedAt, attempt.kind === 'lambda' ? {} : what);
  }

  private emitSubmitted(attempt: TaskAttempt & { submitted?: boolean }): void {
    if (attempt.submitted || attempt.submittedAt === undefined) return;
    this.emitStart(attempt);
    attempt.submitted = true;
    this.add('TaskSubmitted', attempt.submittedAt, {
      ...describe(attempt).what,
      output: json(attempt.submitOutput),
      outputDetails: { truncated: false },
    });
  }

  private flushAttempt(stateName: string, failure?: EngineEvent): void {
    const attempt = this.attempts.get(stateName)?.shift();
    if (!attempt) return;
    this.emitStart(attempt);
    this.emitSubmitted(attempt);
    const { prefix, what } = describe(attempt);
    const ended = attempt.endedAt ?? failure?.timestamp ?? Date.now();
    if (attempt.endedAt === undefined || failure?.Error === 'States.Timeout' || attempt.error === 'States.HeartbeatTimeout') {
      const error = attempt.error === 'States.HeartbeatTimeout' ? attempt.error : 'States.Timeout';
      this.add(`${prefix}TimedOut`, ended, { ...what, error, cause: causeText(failure?.Cause ?? attempt.cause ?? '') });
    } else if (attempt.error !== undefined) {
      this.add(`${prefix}Failed`, ended, { ...what, error: attempt.error, cause: attempt.cause });
    } else {
      this.add(`${prefix}Succeeded`, ended, { ...what, output: json(attempt.output), outputDetails: { truncated: false } });
    }
  }
}

function describe(attempt: TaskAttempt): { prefix: string; what: Record<string, string> } {
  return attempt.kind === 'lambda'
    ? { prefix: 'LambdaFunction', what: { resource: attempt.resource } }
    : { prefix: 'Task', what: { resourceType: attempt.resourceType, resource: attempt.resource } };
}

/** The details field AWS uses for an event type, e.g. `TaskStateEntered` -> `stateEnteredEventDetails`. */
export function detailsKey(type: string): string {
  if (/StateEntered$/.test(type)) return 'stateEnteredEventDetails';
  if (/StateExited$/.test(type)) return 'stateExitedEventDetails';
  if (type === 'ParallelStateStarted') return 'stateStartedEventDetails';
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}
