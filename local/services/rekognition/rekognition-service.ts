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
 * Rekognition's DetectLabels, DetectFaces, DetectModerationLabels and DetectText over the JSON 1.1 protocol: the local
 * vision models (local/vision) plus what Rekognition's API adds, reading and validating each request (Image.Bytes or
 * Image.S3Object, Rekognition's size and format rules). Models begin loading at construction; calls made meanwhile wait.
 */
export class LocalRekognitionService extends LocalVisionService {
  private readonly readS3Object?: ReadS3Object;

  constructor(options: RekognitionServiceOptions) {
    super(options);
    this.readS3Object = options.readS3Object;
  }

  /** Answers one call; target is the X-Amz-Target header, e.g. "RekognitionService.DetectLabels", body the JSON text. */
  async handle(target: string, body: string): Promise<TextResponse> {
    try {
      const request = parseRequest(parseTarget(target), body);
      const { bytes } = await loadImageBytes(request.image, this.readS3Object);
      const job = { operation: request.operation, params: request.params, bytes } as AnalysisJob;
      return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: await this.analyse(job) };
    } catch (error) {
      return REKOGNITION_JSON.errorResponse(asServiceError(REKOGNITION_JSON, error));
    }
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
