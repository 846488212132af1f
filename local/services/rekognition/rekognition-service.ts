import { awsJsonProtocol, type TextResponse } from '../../edge/protocols/aws-json';
import { asServiceError } from '../../edge/protocols/protocol';
import { matchTarget } from '../../edge/router';
import type { EdgeService } from '../../edge/types';
import type { AnalysisJob } from '../../vision';
import { LocalVisionService, type VisionServiceOptions } from '../../vision/service';
import { loadImageBytes, type ReadS3Object } from './image-input';
import { parseRequest, parseTarget } from './request';
import { LocalVideoJobs, VIDEO_OPERATIONS, type VideoOperation } from './video/video-jobs';
import type { SamplingLimits } from './video/frame-sampler';
import { invalidParameter } from '../../vision/errors';
import { isObject } from '@smart-image-pipeline/contracts';

/** Rekognition's JSON 1.1 protocol; its `__type` is the bare code. */
export const REKOGNITION_JSON = awsJsonProtocol({ version: '1.1' });

/** How to run the local Rekognition. */
export interface RekognitionServiceOptions extends VisionServiceOptions {
  /** reads Image.S3Object from the local S3 store; without it S3Object gives InvalidS3ObjectException */
  readS3Object?: ReadS3Object;
  /** How Rekognition Video's stored-video jobs sample frames (default 1 per second, at most 600 frames). */
  videoSampling?: Partial<SamplingLimits>;
}

/**
 * Rekognition's DetectLabels, DetectFaces, DetectModerationLabels and DetectText over the JSON 1.1 protocol: the local
 * vision models (local/vision) plus what Rekognition's API adds, reading and validating each request (Image.Bytes or
 * Image.S3Object, Rekognition's size and format rules). Models begin loading at construction; calls made meanwhile wait.
 */
export class LocalRekognitionService extends LocalVisionService {
  private readonly readS3Object?: ReadS3Object;
  /** Rekognition Video's stored-video jobs: frames sampled with ffmpeg, each analysed like a Detect call. */
  readonly videoJobs: LocalVideoJobs;

  constructor(options: RekognitionServiceOptions) {
    super(options);
    this.readS3Object = options.readS3Object;
    this.videoJobs = new LocalVideoJobs({
      readS3Object: options.readS3Object,
      analyse: (job) => this.analyse(job),
      sampling: options.videoSampling,
    });
  }

  /** Answers one call; target is the X-Amz-Target header, e.g. "RekognitionService.DetectLabels", body the JSON text. */
  async handle(target: string, body: string): Promise<TextResponse> {
    try {
      const videoOperation = VIDEO_OPERATIONS.find((operation) => target === `RekognitionService.${operation}`);
      if (videoOperation) return await this.handleVideo(videoOperation, body);
      const request = parseRequest(parseTarget(target), body);
      const { bytes } = await loadImageBytes(request.image, this.readS3Object);
      const job = { operation: request.operation, params: request.params, bytes } as AnalysisJob;
      return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: await this.analyse(job) };
    } catch (error) {
      return REKOGNITION_JSON.errorResponse(asServiceError(REKOGNITION_JSON, error));
    }
  }

  private async handleVideo(operation: VideoOperation, body: string): Promise<TextResponse> {
    let json: unknown;
    try {
      json = JSON.parse(body || '{}');
    } catch {
      throw invalidParameter('the body is not JSON');
    }
    if (!isObject(json)) throw invalidParameter('the body is not a JSON object');
    const answer = await this.videoJobs.handle(operation, json);
    return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(answer) };
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
