import { fork, type ChildProcess } from 'node:child_process';
import type { AnalysisJob, ModelPaths } from './analyser';
import { RekognitionError } from './errors';
import type { FromWorker, ToWorker } from './worker-protocol';

/** How the pool starts its workers. */
export interface WorkerPoolOptions {
  size: number;
  paths: ModelPaths;
  cacheDir: string;
  /** resolves the JS entry point of a worker process */
  script: () => Promise<string>;
  /** a job still running after this long is treated as a hung worker (default 120 s) */
  jobTimeoutMs?: number;
}

interface Pending {
  id: number;
  job: AnalysisJob;
  resolve: (body: string) => void;
  reject: (error: RekognitionError) => void;
}

interface Slot {
  child: ChildProcess;
  ready: boolean;
  current?: Pending;
  timer?: NodeJS.Timeout;
}

// After this many start failures in a row the models cannot load, and restarting again would only spin.
const MAX_FAILED_STARTS = 3;

/**
 * A fixed number of long-lived worker processes, each holding the models. Jobs queue here and go to the first
 * idle worker, so inference never runs on the caller's event loop. A worker that dies fails only its own job
 * and is replaced.
 */
export class WorkerPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private restartCount = 0;
  private failedStarts = 0;
  private closing = false;
  private brokenReason?: string;
  private readonly firstReady: Promise<void>;
  private resolveFirstReady!: () => void;
  private rejectFirstReady!: (error: Error) => void;
  private initialPending: number;
  private script?: string;

  constructor(private readonly options: WorkerPoolOptions) {
    this.initialPending = options.size;
    this.firstReady = new Promise<void>((resolve, reject) => {
      this.resolveFirstReady = resolve;
      this.rejectFirstReady = reject;
    });
    // Callers may never await readiness; an unobserved rejection must not crash them.
    this.firstReady.catch(() => undefined);
  }

  /**
   * Starts every worker and resolves once all have loaded their models.
   * @throws Error when the models cannot load
   */
  async start(): Promise<void> {
    try {
      this.script = await this.options.script();
    } catch (error) {
      this.brokenReason = `The local vision worker could not be built: ${(error as Error).message}`;
      this.rejectFirstReady(error as Error);
      for (const pending of this.queue.splice(0)) pending.reject(new RekognitionError('ServiceUnavailableException', this.brokenReason));
      return this.firstReady;
    }
    if (this.closing) return this.firstReady;
    for (let i = 0; i < this.options.size; i += 1) this.spawn();
    return this.firstReady;
  }

  /** Resolves once the first start of every worker has finished loading. */
  ready(): Promise<void> {
    return this.firstReady;
  }

  /** Number of workers ready to take a job, and how many times a worker was replaced. */
  health(): { readyWorkers: number; restarts: number } {
    return { readyWorkers: [...this.slots].filter((slot) => slot.ready).length, restarts: this.restartCount };
  }

  /** Process ids of the live workers (for tests that kill one). */
  pids(): number[] {
    return [...this.slots].map((slot) => slot.child.pid).filter((pid): pid is number => pid !== undefined);
  }

  /** Process ids of the workers that hold a job right now (so a test kills one mid-job without guessing a delay). */
  busyPids(): number[] {
    return [...this.slots]
      .filter((slot) => slot.current)
      .map((slot) => slot.child.pid)
      .filter((pid): pid is number => pid !== undefined);
  }

  /**
   * Runs one job on the next idle worker and resolves with the JSON response body.
   * @throws RekognitionError the image's own error, or InternalServerError when the worker died on it
   */
  run(job: AnalysisJob): Promise<string> {
    if (this.closing) return Promise.reject(new RekognitionError('ServiceUnavailableException', 'The local vision service is closing'));
    if (this.brokenReason) return Promise.reject(new RekognitionError('ServiceUnavailableException', this.brokenReason));
    return new Promise<string>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every worker and fails what is still queued. */
  async close(): Promise<void> {
    this.closing = true;
    this.rejectFirstReady(new Error('The local vision service was closed before its models loaded'));
    for (const pending of this.queue.splice(0))
      pending.reject(new RekognitionError('ServiceUnavailableException', 'The local vision service is closing'));
    await Promise.all(
      [...this.slots].map(
        (slot) =>
          new Promise<void>((resolve) => {
            if (slot.child.exitCode !== null || slot.child.signalCode !== null) return resolve();
            slot.child.once('exit', () => resolve());
            slot.child.kill('SIGTERM');
            setTimeout(() => slot.child.kill('SIGKILL'), 2000).unref();
          }),
      ),
    );
    this.slots.clear();
  }

  private spawn(): void {
    const child = fork(this.script as string, [], {
      serialization: 'advanced',
      // A 1 MB young generation (V8's default grows to tens of MB) makes scavenges free each job's garbage Buffers
      // (request bytes, decoded pixels) soon instead of letting them pile up: about 100 MB lower peak per worker at
      // the same CPU time per image (README.md, "Memory").
      execArgv: ['--max-semi-space-size=1'],
      // glibc gives every thread (libvips', onnxruntime's) its own malloc arena, and each keeps its peak; two arenas
      // hold a worker's peak memory about 100 MB lower at no measurable cost in speed (README.md).
      env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const slot: Slot = { child, ready: false };
    this.slots.add(slot);
    child.on('message', (message: FromWorker) => this.onMessage(slot, message));
    child.on('exit', (code, signal) => this.onExit(slot, code, signal));
    child.on('error', () => undefined);
    const init: ToWorker = { type: 'init', paths: this.options.paths, cacheDir: this.options.cacheDir };
    child.send(init);
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    if (message.type === 'ready') {
      slot.ready = true;
      this.failedStarts = 0;
      if (this.initialPending > 0 && --this.initialPending === 0) this.resolveFirstReady();
      this.dispatch();
      return;
    }
    if (message.type === 'init-failed') {
      this.failedStarts += 1;
      if (this.failedStarts >= MAX_FAILED_STARTS || this.initialPending > 0) {
        this.brokenReason = `The local vision models could not load: ${message.message.split('\n')[0]}`;
        this.rejectFirstReady(new Error(message.message));
        for (const pending of this.queue.splice(0)) pending.reject(new RekognitionError('ServiceUnavailableException', this.brokenReason));
      }
      return;
    }
    const pending = slot.current;
    if (!pending || pending.id !== message.id) return;
    clearTimeout(slot.timer);
    slot.current = undefined;
    if (message.ok) pending.resolve(message.body);
    else pending.reject(new RekognitionError(message.errorType, message.message));
    this.dispatch();
  }

  private onExit(slot: Slot, code: number | null, signal: NodeJS.Signals | null): void {
    clearTimeout(slot.timer);
    this.slots.delete(slot);
    if (slot.current) {
      slot.current.reject(
        new RekognitionError(
          'InternalServerError',
          `The local vision worker exited (${signal ?? `code ${code}`}) while analysing this image; a new worker is starting`,
        ),
      );
      slot.current = undefined;
    }
    if (this.closing || this.brokenReason) return;
    this.restartCount += 1;
    // Back off a little after failed starts so a broken install does not spin the CPU.
    setTimeout(
      () => {
        if (!this.closing && !this.brokenReason) this.spawn();
      },
      100 * 2 ** this.failedStarts,
    ).unref();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.current) continue;
      const pending = this.queue.shift() as Pending;
      slot.current = pending;
      const message: ToWorker = { type: 'job', id: pending.id, job: pending.job };
      slot.child.send(message);
      slot.timer = setTimeout(() => slot.child.kill('SIGKILL'), this.options.jobTimeoutMs ?? 120_000);
      slot.timer.unref();
    }
  }
}
