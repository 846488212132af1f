import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { handlerSource } from '../../template/load-app';
import type { LocalFunction } from '../../template/types';
import { bundleHandler, type BundledHandler } from './bundle';
import { LambdaFunctionError, throttledError, timeoutError, type LambdaErrorPayload } from './errors';
import { functionEnvironment, type RuntimeEndpoint } from './runtime-env';
import { SANDBOX_SOURCE } from './sandbox-source';

/** Receives each line a function logs, tagged with the function's logical ID. */
export type LogSink = (logicalId: string, line: string) => void;

/** How functions run locally. */
export interface FunctionRuntimeOptions extends RuntimeEndpoint {
  logSink?: LogSink;
  /** At most this many sandboxes (concurrent instances) per function. */
  maxInstances?: number;
}

type SandboxMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: LambdaErrorPayload }
  | { type: 'result'; id: string; result: unknown }
  | { type: 'error'; id: string; error: LambdaErrorPayload };

interface Sandbox {
  worker: Worker;
  ready: Promise<void>;
  onMessage?: (msg: SandboxMessage) => void;
  onExit?: (code: number) => void;
}

/**
 * Runs one Lambda function's handler in worker-thread sandboxes: each has its own process.env (so config read at
 * cold start is the function's own), is reused while warm, and is destroyed when an invocation times out or crashes.
 */
export class FunctionRuntime {
  private bundle?: Promise<BundledHandler>;
  private readonly idle: Sandbox[] = [];
  private readonly all = new Set<Sandbox>();
  private readonly waiting: Array<() => void> = [];
  private closed = false;
  /** Invocations under way, counted against the function's reserved concurrency. */
  private running = 0;

  constructor(
    readonly fn: LocalFunction,
    private readonly options: FunctionRuntimeOptions,
  ) {}

  /**
   * Invokes the handler with the event, as a synchronous (RequestResponse) Lambda invoke.
   * @throws LambdaFunctionError named after the handler's error, `Sandbox.Timedout`, or `Runtime.ExitError`.
   * @throws LambdaServiceError `TooManyRequestsException` when the function's reserved concurrency is in use.
   */
  async invoke(event: unknown, requestId: string = randomUUID()): Promise<unknown> {
    const limit = this.fn.reservedConcurrency;
    if (limit !== undefined && this.running >= limit) throw throttledError();
    this.running += 1;
    try {
      return await this.invokeInSandbox(event, requestId);
    } finally {
      this.running -= 1;
    }
  }

  private async invokeInSandbox(event: unknown, requestId: string): Promise<unknown> {
    const sandbox = await this.acquire();
    const deadline = Date.now() + this.fn.timeoutSeconds * 1000;
    try {
      return await new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          // Lambda throws away a sandbox that timed out; the next call is a cold start.
          this.destroy(sandbox);
          reject(timeoutError(requestId, this.fn.timeoutSeconds));
        }, this.fn.timeoutSeconds * 1000);
        sandbox.onMessage = (msg) => {
          if ((msg.type === 'result' || msg.type === 'error') && msg.id === requestId) {
            clearTimeout(timer);
            if (msg.type === 'result') resolve(msg.result);
            else reject(new LambdaFunctionError(msg.error));
          }
        };
        sandbox.onExit = (code) => {
          clearTimeout(timer);
          reject(
            new LambdaFunctionError({
              errorType: 'Runtime.ExitError',
              errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status ${code}`,
            }),
          );
        };
        sandbox.worker.postMessage({
          id: requestId,
          event,
          context: {
            functionName: this.fn.name,
            functionVersion: '$LATEST',
            invokedFunctionArn: this.fn.arn,
            memoryLimitInMB: String(this.fn.memorySize),
            awsRequestId: requestId,
            logGroupName: `/aws/lambda/${this.fn.name}`,
            logStreamName: 'local',
            deadline,
          },
        });
      });
    } finally {
      this.release(sandbox);
    }
  }

  /** Terminates every sandbox; later invokes fail. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.all].map((s) => s.worker.terminate()));
    this.all.clear();
    this.idle.length = 0;
  }

  private async acquire(): Promise<Sandbox> {
    for (;;) {
      if (this.closed) throw new LambdaFunctionError({ errorType: 'ServiceException', errorMessage: 'The local Lambda runtime is closed' });
      const warm = this.idle.pop();
      if (warm) return warm;
      if (this.all.size < (this.options.maxInstances ?? 4)) break;
      await new Promise<void>((r) => this.waiting.push(r));
    }
    const sandbox = await this.spawn();
    try {
      await sandbox.ready;
    } catch (err) {
      this.destroy(sandbox);
      throw err;
    }
    return sandbox;
  }

  private release(sandbox: Sandbox): void {
    sandbox.onMessage = undefined;
    sandbox.onExit = undefined;
    if (this.all.has(sandbox) && !this.closed) this.idle.push(sandbox);
    this.waiting.shift()?.();
  }

  private destroy(sandbox: Sandbox): void {
    this.all.delete(sandbox);
    const index = this.idle.indexOf(sandbox);
    if (index >= 0) this.idle.splice(index, 1);
    void sandbox.worker.terminate();
    this.waiting.shift()?.();
  }

  private async spawn(): Promise<Sandbox> {
    if (!this.bundle) this.bundle = bundleHandler(handlerSource(this.fn).file);
    let bundled: BundledHandler;
    try {
      bundled = await this.bundle;
    } catch (err) {
      this.bundle = undefined;
      throw new LambdaFunctionError({ errorType: 'Runtime.ImportModuleError', errorMessage: (err as Error).message });
    }
    const worker = new Worker(SANDBOX_SOURCE, {
      eval: true,
      env: functionEnvironment(this.fn, this.options),
      workerData: { filename: bundled.filename, code: bundled.code, exportName: handlerSource(this.fn).exportName },
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: Math.max(256, this.fn.memorySize) },
    });
    this.pipeLogs(worker.stdout);
    this.pipeLogs(worker.stderr);
    const sandbox: Sandbox = { worker, ready: Promise.resolve() };
    sandbox.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (msg: SandboxMessage) => {
        if (msg.type === 'ready') resolve();
        else if (msg.type === 'init-error') reject(new LambdaFunctionError(msg.error));
        else sandbox.onMessage?.(msg);
      });
      worker.on('error', (err) => {
        const payload = { errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: err.message };
        reject(new LambdaFunctionError(payload));
        this.all.delete(sandbox);
      });
      worker.on('exit', (code) => {
        reject(new LambdaFunctionError({ errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: exit status ${code}` }));
        if (this.all.has(sandbox)) this.destroy(sandbox);
        sandbox.onExit?.(code);
      });
    });
    // A failed cold start is reported by acquire(); this keeps Node from calling it unhandled meanwhile.
    sandbox.ready.catch(() => undefined);
    this.all.add(sandbox);
    return sandbox;
  }

  private pipeLogs(stream: Readable): void {
    let buffer = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        this.emit(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
      }
    });
    stream.on('end', () => buffer && this.emit(buffer));
  }

  private emit(line: string): void {
    const sink = this.options.logSink ?? ((id, text) => process.stderr.write(`[${id}] ${text}\n`));
    sink(this.fn.logicalId, line);
  }
}
