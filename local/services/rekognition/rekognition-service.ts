import { awsJsonProtocol, type TextResponse } from '../../edge/protocols/aws-json';
import { asServiceError } from '../../edge/protocols/protocol';
import { matchTarget } from '../../edge/router';
import type { EdgeService } from '../../edge/types';
import type { AnalysisJob } from '../../vision';
import { defaultWorkerCount, LocalVisionService, type VisionServiceOptions } from '../../vision/service';
import type { EmbedFacesResponse } from '../../vision/face-embeddings';
import { isCollectionOperation, runCollectionOperation } from './collection-operations';
import { FaceCollectionStore } from './face-collections';
import { loadImageBytes, type ReadS3Object } from './image-input';
import { parseBody, parseRequest, parseTarget, type ImageSource } from './request';
import { LocalVideoJobs, VIDEO_OPERATIONS, type VideoOperation } from './video/video-jobs';
import type { SamplingLimits } from './video/frame-sampler';

/** Rekognition's JSON 1.1 protocol; its `__type` is the bare code. */
export const REKOGNITION_JSON = awsJsonProtocol({ version: '1.1' });

/** How to run the local Rekognition. */
export interface RekognitionServiceOptions extends VisionServiceOptions {
  /** reads Image.S3Object from the local S3 store; without it S3Object gives InvalidS3ObjectException */
  readS3Object?: ReadS3Object;
  /** account and region for collection ARNs (default the local stack's 000000000000 / us-east-1) */
  accountId?: string;
  region?: string;
  /** How Rekognition Video's stored-video jobs sample frames (default 1 per second, at most 600 frames). */
  videoSampling?: Partial<SamplingLimits>;
}

/**
 * Rekognition's DetectLabels, DetectFaces, DetectModerationLabels and DetectText over the JSON 1.1 protocol: the local
 * vision models (local/vision) plus what Rekognition's API adds, reading and validating each request (Image.Bytes or
 * Image.S3Object, Rekognition's size and format rules). Models begin loading at construction; calls made meanwhile wait.
 * Face collections (CreateCollection, IndexFaces, SearchFaces, …) persist under `<dataDir>/rekognition/collections`,
 * Rekognition Video's jobs under `<dataDir>/rekognition/video-jobs`.
 */
export class LocalRekognitionService extends LocalVisionService {
  private readonly readS3Object?: ReadS3Object;
  /** The face collections; the local stack creates the template's AWS::Rekognition::Collection resources here. */
  readonly collections: FaceCollectionStore;
  /** Rekognition Video's stored-video jobs: frames sampled with ffmpeg, each analysed like a Detect call. */
  readonly videoJobs: LocalVideoJobs;

  constructor(options: RekognitionServiceOptions) {
    super(options);
    this.readS3Object = options.readS3Object;
    const arnPrefix = `arn:aws:rekognition:${options.region ?? 'us-east-1'}:${options.accountId ?? '000000000000'}:collection/`;
    this.collections = new FaceCollectionStore(options.dataDir, (id) => `${arnPrefix}${id}`);
    this.videoJobs = new LocalVideoJobs({
      readS3Object: options.readS3Object,
      analyse: (job) => this.analyse(job),
      dataDir: options.dataDir,
      sampling: options.videoSampling,
      // One frame per worker at a time: every worker stays busy, and images queue behind at most that many frames.
      frameConcurrency: Math.max(1, options.workers ?? defaultWorkerCount()),
    });
  }

  /** Stops the video jobs (an unfinished one resumes at the next start), then the vision workers. */
  override async close(): Promise<void> {
    this.videoJobs.stop();
    await super.close();
  }

  /** Answers one call; target is the X-Amz-Target header, e.g. "RekognitionService.DetectLabels", body the JSON text. */
  async handle(target: string, body: string): Promise<TextResponse> {
    try {
      const videoOperation = VIDEO_OPERATIONS.find((operation) => target === `RekognitionService.${operation}`);
      if (videoOperation) return await this.handleVideo(videoOperation, body);
      const operation = target.startsWith('RekognitionService.') ? target.slice('RekognitionService.'.length) : '';
      if (isCollectionOperation(operation)) {
        const answer = await runCollectionOperation(operation, parseBody(body), this.collections, (image) => this.embedFaces(image));
        return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(answer) };
      }
      const request = parseRequest(parseTarget(target), body);
      const { bytes } = await loadImageBytes(request.image, this.readS3Object);
      const job = { operation: request.operation, params: request.params, bytes } as AnalysisJob;
      return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: await this.analyse(job) };
    } catch (error) {
      return REKOGNITION_JSON.errorResponse(asServiceError(REKOGNITION_JSON, error));
    }
  }

  private async handleVideo(operation: VideoOperation, body: string): Promise<TextResponse> {
    const answer = await this.videoJobs.handle(operation, parseBody(body));
    return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(answer) };
  }

  /** The faces of an image with their embeddings, from a vision worker. */
  private async embedFaces(image: ImageSource): Promise<EmbedFacesResponse> {
    const { bytes } = await loadImageBytes(image, this.readS3Object);
    return JSON.parse(await this.analyse({ operation: 'EmbedFaces', params: {}, bytes })) as EmbedFacesResponse;
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
