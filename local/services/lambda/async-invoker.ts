import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { LambdaServiceError } from './errors';
import type { LambdaRuntime } from './lambda-runtime';
import type { LocalFunction } from '../../template/types';

/** Where an asynchronous invoke that failed every attempt is recorded. */
export function failureQueueFile(dataDir: string, destinationArn: string): string {
  return join(dataDir, 'queues', `${destinationArn.split(':').pop()}.jsonl`);
}

/** Throttled asynchronous events wait at most this many `retryDelayMs` between tries (jittered). */
const MAX_THROTTLE_BACKOFF_STEPS = 16;

/**
 * Invokes functions asynchronously as S3 does: the caller does not wait, a failed invoke is retried
 * (MaximumRetryAttempts from EventInvokeConfig, default 2), and the event then goes to the OnFailure destination
 * with Lambda's destination record. Lambda waits about 1 and 2 minutes between attempts; local mode waits `retryDelayMs` × attempt.
 */
export class AsyncInvoker {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly lambda: LambdaRuntime,
    private readonly dataDir: string,
    private readonly retryDelayMs = 1000,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Queues one asynchronous invoke and returns at once. */
  invoke(fn: LocalFunction, event: unknown): void {
    const run = this.run(fn, event).finally(() => this.pending.delete(run));
    this.pending.add(run);
  }

  /** Whether an invoke is still queued or retrying. */
  async hasPending(): Promise<boolean> {
    return this.pending.size > 0;
  }

  /** Resolves when every queued invoke (retries included) has finished. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async run(fn: LocalFunction, event: unknown): Promise<void> {
    const requestId = randomUUID();
    const attempts = 1 + fn.maximumRetryAttempts;
    let lastError: { errorType: string; errorMessage: string } = { errorType: 'Unknown', errorMessage: '' };
    let throttles = 0;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        await this.lambda.invoke(fn.logicalId, event, attempt === 1 ? requestId : `${requestId}-${attempt}`);
        return;
      } catch (err) {
        if (err instanceof LambdaServiceError) {
          // Lambda keeps a throttled asynchronous event in its queue and tries again with backoff, without using up
          // the function's retry attempts (up to 6 hours in AWS).
          throttles += 1;
          attempt -= 1;
          await new Promise((r) => setTimeout(r, this.retryDelayMs * Math.min(2 ** throttles, MAX_THROTTLE_BACKOFF_STEPS) * Math.random()));
          continue;
        }
        const e = err as Error & { payload?: { errorType: string; errorMessage: string } };
        lastError = e.payload ?? { errorType: e.name, errorMessage: e.message };
        this.log(
          `${fn.logicalId} async invoke ${requestId} attempt ${attempt}/${attempts} failed: ${lastError.errorType}: ${lastError.errorMessage}`,
        );
        if (attempt < attempts) await new Promise((r) => setTimeout(r, this.retryDelayMs * attempt));
      }
    }
    if (!fn.onFailureDestination) return;
    const record = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: { requestId, functionArn: `${fn.arn}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: attempts },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: lastError,
    };
    const file = failureQueueFile(this.dataDir, fn.onFailureDestination);
    mkdirSync(join(file, '..'), { recursive: true });
    appendFileSync(file, `${JSON.stringify(record)}\n`);
  }
}
