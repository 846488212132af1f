import { randomBytes } from 'node:crypto';
import { sfnApiError, TaskFailedError } from './errors';

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

  /** Issues a token for one attempt of a callback task of the given execution. */
  issue(executionArn: string, limits: CallbackLimits): IssuedToken {
    const token = TOKEN_PREFIX + randomBytes(48).toString('base64url');
    let settle!: Pick<Pending, 'resolve' | 'reject'>;
    const result = new Promise<unknown>((resolve, reject) => (settle = { resolve, reject }));
    // The engine may stop listening first (its own TimeoutSeconds race); a late rejection must not go unhandled.
    result.catch(() => undefined);
    const entry: Pending = { executionArn, limits, ...settle };
    this.pending.set(token, entry);
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
    const entry = this.open(params.taskToken);
    const output = params.output;
    if (output === undefined || Buffer.byteLength(output) > MAX_OUTPUT_BYTES)
      throw sfnApiError('InvalidOutput', 'The output must be JSON of at most 262144 bytes');
    let value: unknown;
    try {
      value = JSON.parse(output);
    } catch {
      throw sfnApiError('InvalidOutput', `Invalid Output: '${output.slice(0, 100)}'`);
    }
    this.settle(params.taskToken as string, entry);
    entry.resolve(value);
    return {};
  }

  /**
   * SendTaskFailure: fails the task with the given error and cause, which Retry and Catch match.
   * @throws AwsServiceError InvalidToken, TaskDoesNotExist, TaskTimedOut or ValidationException.
   */
  fail(params: { taskToken?: string; error?: string; cause?: string }): Record<string, never> {
    const entry = this.open(params.taskToken);
    if ((params.error?.length ?? 0) > MAX_ERROR) throw sfnApiError('ValidationException', `error exceeds ${MAX_ERROR} characters`);
    if ((params.cause?.length ?? 0) > MAX_CAUSE) throw sfnApiError('ValidationException', `cause exceeds ${MAX_CAUSE} characters`);
    this.settle(params.taskToken as string, entry);
    entry.reject(new TaskFailedError(params.error ?? '', params.cause ?? ''));
    return {};
  }

  /**
   * SendTaskHeartbeat: restarts the HeartbeatSeconds clock (TimeoutSeconds still bounds the whole wait).
   * @throws AwsServiceError InvalidToken, TaskDoesNotExist or TaskTimedOut.
   */
  heartbeat(params: { taskToken?: string }): Record<string, never> {
    const entry = this.open(params.taskToken);
    this.armHeartbeat(params.taskToken as string, entry);
    return {};
  }

  /** Closes every open token of an execution that ended (or was stopped): later calls get TaskTimedOut. */
  closeExecution(executionArn: string): void {
    for (const [token, entry] of this.pending) {
      if (entry.executionArn !== executionArn) continue;
      this.settle(token, entry);
      entry.reject(new TaskFailedError('States.Runtime', 'The execution ended'));
    }
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
  }
}
