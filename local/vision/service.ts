import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import type { AnalysisJob } from './analyser';
import { resolveModelPaths } from './model-paths';
import { WorkerPool } from './worker-pool';
import { workerScript } from './worker-script';

/** How to run the service. */
export interface VisionServiceOptions {
  /** folder for the weight cache and the worker bundle (the local mode's data dir) */
  dataDir: string;
  /** worker processes; default defaultWorkerCount() */
  workers?: number;
}

/** A worker's peak RSS once it has analysed large photos (582–670 MB measured by npm run bench:vision), rounded up. */
export const WORKER_PEAK_MB = 700;
/** The share of the machine's memory the worker pool may take at its peak; the rest is the stack's and the OS's. */
const POOL_MEMORY_SHARE = 0.5;

/**
 * Workers for a machine: one per core up to 2 (each call is single-threaded, and two cover the pipeline's default
 * concurrency), but never more than half the machine's memory holds at their peak, and at least one.
 */
export function defaultWorkerCount(cores = availableParallelism(), totalMemoryBytes = totalmem()): number {
  const byMemory = Math.floor((totalMemoryBytes * POOL_MEMORY_SHARE) / (WORKER_PEAK_MB * 1024 * 1024));
  return Math.max(1, Math.min(2, cores, byMemory));
}

/**
 * The local models behind Rekognition's Detect calls: a pool of worker processes with the models loaded once.
 * It takes validated jobs; the Rekognition wire protocol is local/services/rekognition's.
 * `workerPids` and `busyWorkerPids` let tests kill a worker.
 */
export class LocalVisionService {
  private readonly pool: WorkerPool;
  private readonly started: Promise<void>;

  /** Starts the worker pool; models begin loading at once. */
  constructor(options: VisionServiceOptions) {
    const cacheDir = join(options.dataDir, 'vision');
    this.pool = new WorkerPool({
      size: Math.max(1, options.workers ?? defaultWorkerCount()),
      paths: resolveModelPaths(),
      cacheDir,
      script: () => workerScript(cacheDir),
    });
    this.started = this.pool.start();
    this.started.catch(() => undefined);
  }

  /** Resolves when the models are loaded in the worker(s). */
  ready(): Promise<void> {
    return this.started;
  }

  health(): { ready: boolean; workers: number; restarts: number } {
    const { readyWorkers, restarts } = this.pool.health();
    return { ready: readyWorkers > 0, workers: readyWorkers, restarts };
  }

  /**
   * Analyses one image and resolves with the response in Rekognition's shape, as JSON text.
   * @throws RekognitionError the image's own error (format, size), or InternalServerError / ServiceUnavailableException
   */
  analyse(job: AnalysisJob): Promise<string> {
    return this.pool.run(job);
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  /** Process ids of the live workers. */
  workerPids(): number[] {
    return this.pool.pids();
  }

  /** Process ids of the workers analysing an image now. */
  busyWorkerPids(): number[] {
    return this.pool.busyPids();
  }
}
