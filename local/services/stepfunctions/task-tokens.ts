import { randomBytes } from 'node:crypto';
import { sfnApiError, TaskFailedError } from './errors';
import type { EarlySettlement, KeptToken, TaskTokenStore } from './task-token-store';

/** How long a callback task may wait, from its Task state. */
export interface CallbackLimits {
  heartbeatSeconds?: number;
  timeoutSeconds?: number;
}

/** A token handed to a `.waitForTaskToken` attempt and the result its SendTask* call will settle. */
export interface IssuedToken {
  token: string;
  /** Resolves with SendTaskSuccess's output; rejects with a TaskFailedError (SendTaskFailure, heartbeat or timeout). */
  result: Promise<unknown>;
  /** Closes the token unsettled, e.g. when the call that should have carried it failed. */
  close(): void;
}

interface Pending {
  executionArn: string;
  /** The callback Task state that issued it (kept in the data folder, to find it again after a restart). */
  state?: string;
  limits: CallbackLimits;
  resolve(output: unknown): void;
  reject(err: TaskFailedError): void;
  heartbeat?: NodeJS.Timeout;
  timeout?: NodeJS.Timeout;
}

// AWS: taskToken is 1-2048 characters; SendTaskSuccess output at most 262144 bytes; SendTaskFailure error 256, cause 32768.
const MAX_TOKEN = 2048;
const MAX_OUTPUT_BYTES = 262_144;
const MAX_ERROR = 256;
const MAX_CAUSE = 32_768;
// Local tokens: a fixed prefix and 48 random bytes, base64url. Anything else cannot have come from this service.
const TOKEN_PREFIX = 'AQ';
const TOKEN_SHAPE = /^AQ[A-Za-z0-9_-]{64}$/;

/**
 * The task tokens of the callback pattern: one fresh token per attempt of a `.waitForTaskToken` Task, settled by
 * SendTaskSuccess/SendTaskFailure, kept alive by SendTaskHeartbeat, expired by HeartbeatSeconds or TimeoutSeconds.
 * A settled or expired token, or one whose execution has ended, answers TaskTimedOut, as AWS does.
 */
export class TaskTokenRegistry {
  private readonly pending = new Map<string, Pending>();
  private readonly closed = new Set<string>();
  private store?: TaskTokenStore;
  /** Tokens an earlier process issued whose runs are being redriven: a SendTask* call with one reaches the same state. */
  private readonly carried = new Map<string, KeptToken>();
  /** Settlements sent with a carried token before the redriven run got back to its state, by `<executionArn>#<state>`. */
  private readonly early = new Map<string, EarlySettlement>();

  /**
   * Keeps tokens in the data folder from now on and takes over those an earlier process left open for executions
   * still running (they are redriven from the start; each such token then settles the same state of the redriven run).
   */
  restore(store: TaskTokenStore, isRunning: (executionArn: string) => boolean): void {
    this.store = store;
    const kept = store.load(isRunning);
    for (const entry of kept.open) this.carried.set(entry.token, entry);
    for (const entry of kept.early) this.early.set(`${entry.executionArn}#${entry.state}`, entry.settlement);
  }

  /** Issues a token for one attempt of a callback task (the state named) of the given execution. */
  issue(executionArn: string, limits: CallbackLimits, state?: string): IssuedToken {
    const token = TOKEN_PREFIX + randomBytes(48).toString('base64url');
    let settle!: Pick<Pending, 'resolve' | 'reject'>;
    const result = new Promise<unknown>((resolve, reject) => (settle = { resolve, reject }));
    // The engine may stop listening first (its own TimeoutSeconds race); a late rejection must not go unhandled.
    result.catch(() => undefined);
    const entry: Pending = { executionArn, state, limits, ...settle };
    this.pending.set(token, entry);
    if (state) this.store?.issued({ token, executionArn, state });
    // A decision sent with the old token while this run was being redriven: the redriven attempt takes it at once.
    const early = state ? this.early.get(`${executionArn}#${state}`) : undefined;
    if (early && state) {
      this.early.delete(`${executionArn}#${state}`);
      this.store?.used(executionArn, state);
      this.settle(token, entry);
      if (early.kind === 'success') entry.resolve(early.output);
      else entry.reject(new TaskFailedError(early.error, early.cause));
      return { token, result, close: () => undefined };
    }
    if (limits.timeoutSeconds) {
      entry.timeout = setTimeout(
        () => this.expire(token, 'States.Timeout', 'The task did not complete within its TimeoutSeconds'),
        limits.timeoutSeconds * 1000,
      );
    }
    this.armHeartbeat(token, entry);
    return { token, result, close: () => this.expire(token, 'States.Runtime', 'The task token was closed') };
  }

  /** Whether a token is still waiting for SendTaskSuccess/SendTaskFailure (not settled, expired or closed). */
  isOpen(token: string): boolean {
    return this.pending.has(token);
  }

  /**
   * SendTaskSuccess.
   * @throws AwsServiceError InvalidToken, TaskDoesNotExist, TaskTimedOut or InvalidOutput; nothing changes then.
   */
  succeed(params: { taskToken?: string; output?: string }): Record<string, never> {
    const entry = this.openOrCarried(params.taskToken);
    const output = params.output;
    if (output === undefined || Buffer.byteLength(output) > MAX_OUTPUT_BYTES)
      throw sfnApiError('InvalidOutput', 'The output must be JSON of at most 262144 bytes');
    let value: unknown;
    try {
      value = JSON.parse(output);
    } catch {
      throw sfnApiError('InvalidOutput', `Invalid Output: '${output.slice(0, 100)}'`);
    }
    if ('carried' in entry) return this.settleCarried(entry.carried, { kind: 'success', output: value });
    this.settle(params.taskToken as string, entry);
    entry.resolve(value);
    return {};
  }

  /**
   * SendTaskFailure: fails the task with the given error and cause, which Retry and Catch match.
   * @throws AwsServiceError InvalidToken, TaskDoesNotExist, TaskTimedOut or ValidationException.
   */
  fail(params: { taskToken?: string; error?: string; cause?: string }): Record<string, never> {
    const entry = this.openOrCarried(params.taskToken);
    if ((params.error?.length ?? 0) > MAX_ERROR) throw sfnApiError('ValidationException', `error exceeds ${MAX_ERROR} characters`);
    if ((params.cause?.length ?? 0) > MAX_CAUSE) throw sfnApiError('ValidationException', `cause exceeds ${MAX_CAUSE} characters`);
    if ('carried' in entry)
      return this.settleCarried(entry.carried, { kind: 'failure', error: params.error ?? '', cause: params.cause ?? '' });
    this.settle(params.taskToken as string, entry);
    entry.reject(new TaskFailedError(params.error ?? '', params.cause ?? ''));
    return {};
  }

  /**
   * SendTaskHeartbeat: restarts the HeartbeatSeconds clock (TimeoutSeconds still bounds the whole wait).
   * @throws AwsServiceError InvalidToken, TaskDoesNotExist or TaskTimedOut.
   */
  heartbeat(params: { taskToken?: string }): Record<string, never> {
    const entry = this.openOrCarried(params.taskToken);
    if ('carried' in entry) {
      const current = this.waitingAt(entry.carried);
      if (current) this.armHeartbeat(current[0], current[1]);
      return {};
    }
    this.armHeartbeat(params.taskToken as string, entry);
    return {};
  }

  /**
   * Stops keeping anything (the service is closing, as a crash or a restart would): open tokens stay open in the data
   * folder for the next process, and no timer of this one touches them any more.
   */
  detach(): void {
    this.store = undefined;
    for (const entry of this.pending.values()) {
      clearTimeout(entry.heartbeat);
      clearTimeout(entry.timeout);
    }
  }

  /** Closes every open token of an execution that ended (or was stopped): later calls get TaskTimedOut. */
  closeExecution(executionArn: string): void {
    for (const [token, kept] of this.carried) {
      if (kept.executionArn !== executionArn) continue;
      this.carried.delete(token);
      this.closed.add(token);
      this.store?.settled(token);
    }
    for (const key of this.early.keys()) if (key.startsWith(`${executionArn}#`)) this.early.delete(key);
    for (const [token, entry] of this.pending) {
      if (entry.executionArn !== executionArn) continue;
      this.settle(token, entry);
      entry.reject(new TaskFailedError('States.Runtime', 'The execution ended'));
    }
  }

  /** A pending token, or one an earlier process issued whose run is being redriven. @throws as `open`. */
  private openOrCarried(token: string | undefined): Pending | { carried: KeptToken } {
    const kept = token ? this.carried.get(token) : undefined;
    return kept ? { carried: kept } : this.open(token);
  }

  /** The open token of the redriven run at the carried token's state, if the run is waiting there now. */
  private waitingAt(kept: KeptToken): [string, Pending] | undefined {
    return [...this.pending].find(([, entry]) => entry.executionArn === kept.executionArn && entry.state === kept.state);
  }

  /**
   * SendTaskSuccess/Failure with a token from before a restart: settles the redriven run's attempt at that state when
   * it waits there already, else keeps the settlement (in the data folder too) for when it gets there. The old token
   * is used up either way, as a settled token is.
   */
  private settleCarried(kept: KeptToken, settlement: EarlySettlement): Record<string, never> {
    this.carried.delete(kept.token);
    this.closed.add(kept.token);
    const current = this.waitingAt(kept);
    if (current) {
      const [token, entry] = current;
      this.settle(token, entry);
      if (settlement.kind === 'success') entry.resolve(settlement.output);
      else entry.reject(new TaskFailedError(settlement.error, settlement.cause));
    } else {
      this.early.set(`${kept.executionArn}#${kept.state}`, settlement);
      this.store?.settledEarly(kept.token, kept.executionArn, kept.state, settlement);
    }
    this.store?.settled(kept.token);
    return {};
  }

  private open(token: string | undefined): Pending {
    if (!token || token.length > MAX_TOKEN || !TOKEN_SHAPE.test(token))
      throw sfnApiError('InvalidToken', `Invalid Token: '${(token ?? '').slice(0, 100)}'`);
    const entry = this.pending.get(token);
    if (entry) return entry;
    if (this.closed.has(token))
      throw sfnApiError('TaskTimedOut', 'Task Timed Out: the task token has expired or its task is already closed');
    throw sfnApiError('TaskDoesNotExist', 'Task Does Not Exist');
  }

  private armHeartbeat(token: string, entry: Pending): void {
    if (!entry.limits.heartbeatSeconds) return;
    clearTimeout(entry.heartbeat);
    entry.heartbeat = setTimeout(
      () => this.expire(token, 'States.HeartbeatTimeout', 'No heartbeat within HeartbeatSeconds'),
      entry.limits.heartbeatSeconds * 1000,
    );
  }

  private expire(token: string, error: string, cause: string): void {
    const entry = this.pending.get(token);
    if (!entry) return;
    this.settle(token, entry);
    entry.reject(new TaskFailedError(error, cause));
  }

  private settle(token: string, entry: Pending): void {
    clearTimeout(entry.heartbeat);
    clearTimeout(entry.timeout);
    this.pending.delete(token);
    this.closed.add(token);
    if (entry.state) this.store?.settled(token);
  }
}
