import { randomUUID } from 'node:crypto';
import { isObject } from '@smart-image-pipeline/contracts';
import type { AnalysisJob } from '../../../vision';
import { invalidParameter, RekognitionError } from '../../../vision/errors';
import type { LabelsParams } from '../../../vision/request';
import type { ReadS3Object } from '../image-input';
import { DEFAULT_SAMPLING, sampleFrames, type SamplingLimits, type VideoMetadata } from './frame-sampler';
import {
  aggregate,
  InvalidTokenError,
  page,
  sortEntries,
  type AggregateBy,
  type FrameFindings,
  type FrameLabel,
  type FrameModerationLabel,
  type SortBy,
} from './video-results';

/** The stored-video calls this module answers. */
export const VIDEO_OPERATIONS = ['StartLabelDetection', 'GetLabelDetection', 'StartContentModeration', 'GetContentModeration'] as const;
export type VideoOperation = (typeof VIDEO_OPERATIONS)[number];

/** Rekognition Video's limit on a stored video (larger ones fail with VideoTooLargeException). */
export const MAX_VIDEO_BYTES = 10 * 1024 ** 3;

type Kind = 'labels' | 'moderation';

interface VideoJob {
  id: string;
  kind: Kind;
  token?: string;
  video: { Bucket: string; Name: string; Version?: string };
  jobTag?: string;
  minConfidence: number;
  status: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
  statusMessage?: string;
  metadata?: VideoMetadata;
  intervalMillis?: number;
  frames?: Array<FrameFindings<FrameLabel | FrameModerationLabel>>;
  modelVersion?: string;
}

/** What the jobs need: the local S3 store and the vision service's Detect calls. */
export interface VideoJobsDeps {
  readS3Object?: ReadS3Object;
  analyse(job: AnalysisJob): Promise<string>;
  sampling?: Partial<SamplingLimits>;
}

/**
 * Rekognition Video's StartLabelDetection/StartContentModeration and GetLabelDetection/GetContentModeration, answered by
 * sampling the video's frames with ffmpeg and running each through the local vision service. A job is IN_PROGRESS
 * until every frame is analysed, then SUCCEEDED (or FAILED with a StatusMessage when the video cannot be read). Jobs run
 * one at a time and live in memory: a restarted stack no longer knows them (ResourceNotFoundException).
 */
export class LocalVideoJobs {
  private readonly jobs = new Map<string, VideoJob>();
  private readonly byToken = new Map<string, string>();
  private queue: Promise<void> = Promise.resolve();
  private readonly sampling: SamplingLimits;

  constructor(private readonly deps: VideoJobsDeps) {
    this.sampling = { ...DEFAULT_SAMPLING, ...deps.sampling };
  }

  /** Answers one call with the response object. @throws RekognitionError as Rekognition names it. */
  async handle(operation: VideoOperation, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    switch (operation) {
      case 'StartLabelDetection':
        return this.start('labels', body);
      case 'StartContentModeration':
        return this.start('moderation', body);
      case 'GetLabelDetection':
        return this.get('labels', body);
      case 'GetContentModeration':
        return this.get('moderation', body);
    }
  }

  /** Resolves when every queued job has ended (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  private async start(kind: Kind, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const video = parseVideo(body.Video);
    const minConfidence = optionalNumber(body.MinConfidence, 'MinConfidence', 0, 100) ?? 50;
    const token = optionalString(body.ClientRequestToken, 'ClientRequestToken', /^[a-zA-Z0-9-_]{1,64}$/);
    const jobTag = optionalString(body.JobTag, 'JobTag', /^[a-zA-Z0-9_.\-:+=/]{1,1024}$/);
    // The same token on the same operation returns the same job instead of starting (and paying for) another.
    const tokenKey = token && `${kind}:${token}`;
    const known = tokenKey ? this.byToken.get(tokenKey) : undefined;
    if (known) return { JobId: known };
    if (!this.deps.readS3Object) throw new RekognitionError('InvalidS3ObjectException', 'This local Rekognition has no S3 store attached');
    let bytes: Buffer;
    try {
      bytes = await this.deps.readS3Object(video.Bucket, video.Name, video.Version);
    } catch (error) {
      throw new RekognitionError('InvalidS3ObjectException', `Unable to get object metadata from S3: ${(error as Error).message}`);
    }
    if (bytes.length > MAX_VIDEO_BYTES) throw new RekognitionError('VideoTooLargeException', `${bytes.length} bytes exceed 10 GB`);
    const job: VideoJob = { id: randomUUID().replace(/-/g, ''), kind, token, video, jobTag, minConfidence, status: 'IN_PROGRESS' };
    this.jobs.set(job.id, job);
    if (tokenKey) this.byToken.set(tokenKey, job.id);
    this.queue = this.queue.then(() => this.run(job, bytes));
    return { JobId: job.id };
  }

  private async run(job: VideoJob, bytes: Buffer): Promise<void> {
    try {
      const { metadata, frames, intervalSeconds } = await sampleFrames(bytes, this.sampling);
      job.metadata = metadata;
      job.intervalMillis = Math.round(intervalSeconds * 1000);
      job.frames = [];
      for (const frame of frames) {
        const answer = JSON.parse(await this.deps.analyse(this.detectJob(job, frame.jpeg))) as {
          Labels?: FrameLabel[];
          ModerationLabels?: FrameModerationLabel[];
          LabelModelVersion?: string;
          ModerationModelVersion?: string;
        };
        job.modelVersion = answer.LabelModelVersion ?? answer.ModerationModelVersion ?? job.modelVersion;
        job.frames.push({
          timestampMillis: frame.timestampMillis,
          labels: (job.kind === 'labels' ? answer.Labels : answer.ModerationLabels) ?? [],
        });
      }
      job.status = 'SUCCEEDED';
    } catch (error) {
      job.status = 'FAILED';
      job.frames = undefined;
      job.statusMessage = `The video could not be analysed: ${(error as Error).message}`.slice(0, 1000);
    }
  }

  private detectJob(job: VideoJob, bytes: Buffer): AnalysisJob {
    if (job.kind === 'moderation') return { operation: 'DetectModerationLabels', params: { minConfidence: job.minConfidence }, bytes };
    const params: LabelsParams = {
      minConfidence: job.minConfidence,
      maxLabels: 1000,
      generalLabels: true,
      imageProperties: false,
      maxDominantColors: 0,
      labelInclusion: [],
      labelExclusion: [],
      categoryInclusion: [],
      categoryExclusion: [],
    };
    return { operation: 'DetectLabels', params, bytes };
  }

  private get(kind: Kind, body: Record<string, unknown>): Record<string, unknown> {
    const jobId = optionalString(body.JobId, 'JobId', /^[a-zA-Z0-9-_]{1,64}$/);
    const job = jobId ? this.jobs.get(jobId) : undefined;
    if (!jobId) throw invalidParameter('JobId is required');
    if (!job || job.kind !== kind) throw new RekognitionError('ResourceNotFoundException', `No ${kind} job ${jobId}`);
    const maxResults = optionalNumber(body.MaxResults, 'MaxResults', 1, Number.MAX_SAFE_INTEGER) ?? 1000;
    const sortBy = (optionalEnum(body.SortBy, 'SortBy', ['TIMESTAMP', 'NAME']) ?? 'TIMESTAMP') as SortBy;
    const aggregateBy = (optionalEnum(body.AggregateBy, 'AggregateBy', ['TIMESTAMPS', 'SEGMENTS']) ?? 'TIMESTAMPS') as AggregateBy;
    const nextToken = optionalString(body.NextToken, 'NextToken', /^.{1,255}$/);
    const head = {
      JobId: job.id,
      JobStatus: job.status,
      ...(job.statusMessage ? { StatusMessage: job.statusMessage } : {}),
      Video: { S3Object: job.video },
      ...(job.jobTag ? { JobTag: job.jobTag } : {}),
      ...(job.metadata ? { VideoMetadata: job.metadata } : {}),
      GetRequestMetadata: { SortBy: sortBy, AggregateBy: aggregateBy },
    };
    const listName = kind === 'labels' ? 'Labels' : 'ModerationLabels';
    const labelName = kind === 'labels' ? 'Label' : 'ModerationLabel';
    const versionName = kind === 'labels' ? 'LabelModelVersion' : 'ModerationModelVersion';
    if (job.status !== 'SUCCEEDED' || !job.frames || !job.metadata) return { ...head, [listName]: [] };
    const entries = sortEntries(aggregate(job.frames, aggregateBy, job.intervalMillis ?? 1000, job.metadata.DurationMillis), sortBy);
    let paged;
    try {
      paged = page(entries, Math.min(maxResults, 1000), nextToken);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new RekognitionError('InvalidPaginationTokenException', error.message);
      throw error;
    }
    return {
      ...head,
      [listName]: paged.items.map(({ label, ...times }) => ({ ...times, [labelName]: label })),
      ...(paged.nextToken ? { NextToken: paged.nextToken } : {}),
      [versionName]: job.modelVersion ?? 'local',
    };
  }
}

function parseVideo(value: unknown): { Bucket: string; Name: string; Version?: string } {
  const s3 = isObject(value) ? value.S3Object : undefined;
  if (!isObject(s3) || typeof s3.Bucket !== 'string' || !s3.Bucket || typeof s3.Name !== 'string' || !s3.Name)
    throw invalidParameter('Video.S3Object needs Bucket and Name');
  if (s3.Version !== undefined && typeof s3.Version !== 'string') throw invalidParameter('Video.S3Object.Version must be a string');
  return { Bucket: s3.Bucket, Name: s3.Name, ...(s3.Version ? { Version: s3.Version } : {}) };
}

function optionalNumber(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
    throw invalidParameter(`${name} must be a number from ${min} to ${max}`);
  return value;
}

function optionalString(value: unknown, name: string, pattern: RegExp): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !pattern.test(value)) throw invalidParameter(`${name} is not valid`);
  return value;
}

function optionalEnum(value: unknown, name: string, allowed: readonly string[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !allowed.includes(value)) throw invalidParameter(`${name} must be one of ${allowed.join(', ')}`);
  return value;
}
