import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { loadImageBytes, type ReadS3Object } from '../services/rekognition/image-input';
import { errorResponse, okResponse, type JsonProtocolResponse } from '../services/rekognition/json-protocol';
import { resolveModelPaths } from './model-paths';
import { parseRequest, parseTarget } from './request';
import { WorkerPool } from './worker-pool';
import { workerScript } from './worker-script';

/** How to run the service. */
export interface VisionServiceOptions {
  /** folder for the weight cache and the worker bundle (the local mode's data dir) */
  dataDir: string;
  /** worker processes; default min(2, cores) */
  workers?: number;
  /** reads Image.S3Object from the local S3 store; without it S3Object gives InvalidS3ObjectException */
  readS3Object?: ReadS3Object;
}

/** Rekognition's Detect calls answered by local models. */
export interface VisionService {
  /** Resolves when the models are loaded in the worker(s). */
  ready(): Promise<void>;
  health(): { ready: boolean; workers: number; restarts: number };
  /** Answers one Rekognition JSON 1.1 call; target is the X-Amz-Target header, e.g. "RekognitionService.DetectLabels". */
  handle(target: string, body: string): Promise<JsonProtocolResponse>;
  close(): Promise<void>;
}

/** The service with its worker pool; `workerPids` lets tests kill a worker. */
export class LocalVisionService implements VisionService {
  private readonly pool: WorkerPool;
  private readonly started: Promise<void>;

  constructor(private readonly options: VisionServiceOptions) {
    const cacheDir = join(options.dataDir, 'vision');
    this.pool = new WorkerPool({
      size: Math.max(1, options.workers ?? Math.min(2, availableParallelism())),
      paths: resolveModelPaths(),
      cacheDir,
      script: () => workerScript(cacheDir),
    });
    this.started = this.pool.start();
    this.started.catch(() => undefined);
  }

  ready(): Promise<void> {
    return this.started;
  }

  health(): { ready: boolean; workers: number; restarts: number } {
    const { readyWorkers, restarts } = this.pool.health();
    return { ready: readyWorkers > 0, workers: readyWorkers, restarts };
  }

  async handle(target: string, body: string): Promise<JsonProtocolResponse> {
    try {
      const operation = parseTarget(target);
      const request = parseRequest(operation, body);
      const { bytes } = await loadImageBytes(request.image, this.options.readS3Object);
      const response = await this.pool.run({ operation: request.operation, params: request.params, bytes } as Parameters<WorkerPool['run']>[0]);
      return okResponse(response);
    } catch (error) {
      return errorResponse(error);
    }
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

/** Starts the worker pool (models begin loading at once) and returns the service. */
export function createVisionService(opts: VisionServiceOptions): VisionService {
  return new LocalVisionService(opts);
}
