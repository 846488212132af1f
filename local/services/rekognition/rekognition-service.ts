import { awsJsonProtocol, type TextResponse } from '../../edge/protocols/aws-json';
import { asServiceError } from '../../edge/protocols/protocol';
import { matchTarget } from '../../edge/router';
import type { EdgeService } from '../../edge/types';
import type { AnalysisJob } from '../../vision';
import { LocalVisionService, type VisionServiceOptions } from '../../vision/service';
import { loadImageBytes, type ReadS3Object } from './image-input';
import { parseRequest, parseTarget } from './request';

/** Rekognition's JSON 1.1 protocol; its `__type` is the bare code. */
export const REKOGNITION_JSON = awsJsonProtocol({ version: '1.1' });

/** How to run the local Rekognition. */
export interface RekognitionServiceOptions extends VisionServiceOptions {
  /** reads Image.S3Object from the local S3 store; without it S3Object gives InvalidS3ObjectException */
  readS3Object?: ReadS3Object;
}

/**
 * Rekognition's DetectLabels, DetectFaces, DetectModerationLabels and DetectText over the JSON 1.1 protocol: it reads
 * and validates each request (Image.Bytes or Image.S3Object, Rekognition's size and format rules) and hands the job to
 * the local vision models (local/vision).
 */
export class LocalRekognitionService {
  private readonly vision: LocalVisionService;

  /** Starts the vision workers; models begin loading at once, and calls made meanwhile wait for them. */
  constructor(private readonly options: RekognitionServiceOptions) {
    this.vision = new LocalVisionService(options);
  }

  /** Answers one call; target is the X-Amz-Target header, e.g. "RekognitionService.DetectLabels", body the JSON text. */
  async handle(target: string, body: string): Promise<TextResponse> {
    try {
      const request = parseRequest(parseTarget(target), body);
      const { bytes } = await loadImageBytes(request.image, this.options.readS3Object);
      const job = { operation: request.operation, params: request.params, bytes } as AnalysisJob;
      return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: await this.vision.analyse(job) };
    } catch (error) {
      return REKOGNITION_JSON.errorResponse(asServiceError(REKOGNITION_JSON, error));
    }
  }

  /** Resolves when the models are loaded in the worker(s). */
  ready(): Promise<void> {
    return this.vision.ready();
  }

  health(): { ready: boolean; workers: number; restarts: number } {
    return this.vision.health();
  }

  close(): Promise<void> {
    return this.vision.close();
  }

  /** Process ids of the live vision workers. */
  workerPids(): number[] {
    return this.vision.workerPids();
  }

  /** Process ids of the vision workers analysing an image now. */
  busyWorkerPids(): number[] {
    return this.vision.busyWorkerPids();
  }
}

/** Mounts the service on the edge for `X-Amz-Target: RekognitionService.*`. */
export function rekognitionEdgeService(service: LocalRekognitionService): EdgeService {
  return {
    name: 'rekognition',
    protocol: REKOGNITION_JSON,
    matches: matchTarget('RekognitionService.'),
    handle: (req) => service.handle(req.target ?? '', req.body.toString('utf8')),
  };
}
