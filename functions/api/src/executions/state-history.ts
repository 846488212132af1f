import type { HistoryEvent } from '@aws-sdk/client-sfn';

/** How one visit of a state ended, as the graph colours it. */
export type StateOutcome = 'succeeded' | 'failed' | 'caught' | 'running';

/** One visit of a state, built from the execution history. */
export interface StateVisit {
  name: string;
  type: string;
  outcome: StateOutcome;
  enteredAt: string;
  exitedAt: string | null;
  durationMs: number | null;
  input: unknown;
  output: unknown;
  attempts: number;
  retries: number;
  errors: Array<{ error: string | null; cause: unknown; at: string }>;
}

/** One history event reduced to what the timeline shows. */
export interface TimelineEvent {
  id: number;
  type: string;
  at: string;
  state: string | null;
  error: string | null;
}

const ENTERED = /^(\w+?)StateEntered$/;
const EXITED = /^(\w+?)StateExited$/;
const ATTEMPT = /^(Task|LambdaFunction|ActivityTask)Scheduled$/;
const ATTEMPT_FAILED = /^(Task|LambdaFunction|ActivityTask)(Failed|TimedOut|StartFailed|ScheduleFailed|SubmitFailed)$/;

/** Parses JSON payloads from the history; a non-JSON string is kept as it is. */
export function parsePayload(value: string | undefined | null): unknown {
  if (value === undefined || value === null) return null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function iso(date: Date | string | undefined): string {
  return date instanceof Date ? date.toISOString() : new Date(date ?? 0).toISOString();
}

function failureOf(event: HistoryEvent): { error?: string; cause?: string } | undefined {
  return (
    event.taskFailedEventDetails ??
    event.lambdaFunctionFailedEventDetails ??
    event.taskTimedOutEventDetails ??
    event.lambdaFunctionTimedOutEventDetails ??
    event.taskStartFailedEventDetails ??
    event.lambdaFunctionStartFailedEventDetails ??
    event.lambdaFunctionScheduleFailedEventDetails ??
    event.taskSubmitFailedEventDetails ??
    event.activityFailedEventDetails ??
    event.activityTimedOutEventDetails ??
    undefined
  );
}

/**
 * Turns an execution's history into per-state visits (input, output, errors, retries, time) and a timeline.
 * A task state that exits after its last attempt failed was left through a Catch, so it counts as "caught".
 */
export function summariseHistory(events: readonly HistoryEvent[]): { states: StateVisit[]; timeline: TimelineEvent[] } {
  const states: StateVisit[] = [];
  const timeline: TimelineEvent[] = [];
  let open: StateVisit | undefined;

  for (const event of events) {
    const type = event.type ?? 'Unknown';
    const at = iso(event.timestamp);
    const entered = ENTERED.exec(type);
    const exited = EXITED.exec(type);
    const failure = failureOf(event);
    timeline.push({
      id: event.id ?? timeline.length + 1,
      type,
      at,
      state: event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name ?? open?.name ?? null,
      error: failure?.error ?? event.executionFailedEventDetails?.error ?? null,
    });

    if (entered) {
      const stateType = entered[1];
      open = {
        name: event.stateEnteredEventDetails?.name ?? '?',
        type: stateType,
        outcome: stateType === 'Fail' ? 'failed' : 'running',
        enteredAt: at,
        exitedAt: null,
        durationMs: null,
        input: parsePayload(event.stateEnteredEventDetails?.input),
        output: null,
        attempts: 0,
        retries: 0,
        errors: [],
      };
      states.push(open);
    } else if (ATTEMPT.test(type) && open) {
      open.attempts += 1;
      open.retries = Math.max(0, open.attempts - 1);
    } else if (ATTEMPT_FAILED.test(type) && open) {
      open.errors.push({ error: failure?.error ?? null, cause: parsePayload(failure?.cause), at });
    } else if (exited) {
      const visit =
        [...states].reverse().find((state) => state.name === event.stateExitedEventDetails?.name && state.exitedAt === null) ?? open;
      if (visit) {
        visit.exitedAt = at;
        visit.durationMs = Date.parse(at) - Date.parse(visit.enteredAt);
        visit.output = parsePayload(event.stateExitedEventDetails?.output);
        const lastAttemptFailed = visit.attempts > 0 && visit.errors.length >= visit.attempts;
        if (visit.outcome !== 'failed') visit.outcome = lastAttemptFailed ? 'caught' : 'succeeded';
      }
      if (visit === open) open = undefined;
    } else if (/^Execution(Failed|TimedOut|Aborted)$/.test(type)) {
      const details = event.executionFailedEventDetails ?? event.executionTimedOutEventDetails ?? event.executionAbortedEventDetails;
      for (const state of states) {
        if (state.exitedAt !== null) continue;
        state.exitedAt = at;
        state.durationMs = Date.parse(at) - Date.parse(state.enteredAt);
        state.outcome = 'failed';
        if (details?.error && !state.errors.some((entry) => entry.error === details.error))
          state.errors.push({ error: details.error, cause: parsePayload(details.cause), at });
      }
      open = undefined;
    }
  }
  return { states, timeline };
}

/** The outcome each state name shows on the graph: its last visit's. */
export function outcomeByState(states: readonly StateVisit[]): Record<string, StateOutcome> {
  const outcomes: Record<string, StateOutcome> = {};
  for (const state of states) outcomes[state.name] = state.outcome;
  return outcomes;
}
