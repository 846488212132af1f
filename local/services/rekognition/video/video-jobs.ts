import { randomUUID } from 'node:crypto';
import { isObject } from '@smart-image-pipeline/contracts';
import type { AnalysisJob } from '../../../vision';
import { invalidParameter, RekognitionError } from '../../../vision/errors';
import type { LabelsParams } from '../../../vision/request';
import type { ReadS3Object } from '../image-input';
import { DEFAULT_SAMPLING, sampleFrames, type SampledVideo, type SamplingLimits } from './frame-sampler';
import { SharedFrames, type FrameLease } from './shared-frames';
import type { JsonRecordFolder } from '../../json-record-folder';
import { openVideoJobStore, type VideoJob } from './video-job-store';
import {
  aggregate,
  InvalidTokenError,
  page,
  sortEntries,
  type AggregateBy,
  type FrameLabel,
  type FrameModerationLabel,
  type SortBy,
} from './video-results';

/** The stored-video calls this module answers. */
export const VIDEO_OPERATIONS = ['StartLabelDetection', 'GetLabelDetection', 'StartContentModeration', 'GetContentModeration'] as const;
export type VideoOperation = (typeof VIDEO_OPERATIONS)[number];

/** Rekognition Video's limit on a stored video (larger ones fail with VideoTooLargeException). */
export const MAX_VIDEO_BYTES = 10 * 1024 ** 3;

type Kind = VideoJob['kind'];

/** What the jobs need: the local S3 store, the vision service's Detect calls and where to keep the jobs. */
export interface VideoJobsDeps {
  readS3Object?: ReadS3Object;
  analyse(job: AnalysisJob): Promise<string>;
  /** Jobs are kept under `<dataDir>/rekognition/video-jobs/`. */
  dataDir: string;
  sampling?: Partial<SamplingLimits>;
  /** Samples a video's frames (default: ffmpeg, sampleFrames). */
  sample?: (bytes: Buffer, limits: SamplingLimits) => Promise<SampledVideo>;
  /** Frames of one job analysed at once: the vision service's worker count keeps every worker busy (default 1). */
  frameConcurrency?: number;
  /** Where a job file that cannot be read or written is reported (default stderr). */
  warn?: (message: string) => void;
}

/**
 * Rekognition Video's StartLabelDetection/StartContentModeration and GetLabelDetection/GetContentModeration, answered by
 * sampling the video's frames with ffmpeg and running each through the local vision service. A job is IN_PROGRESS
 * until every frame is analysed, then SUCCEEDED (or FAILED with a StatusMessage when the video cannot be read).
 * Jobs run one at a time, each keeping `frameConcurrency` frames in the vision service, and the label and moderation
 * jobs of one video share its sampled frames. Jobs are kept on disk: after a restart Get* answers finished jobs, and
 * a job that was IN_PROGRESS when the process stopped runs again from its first frame (the local Step Functions
 * redrives the interrupted execution, whose StartLabelDetection carries the same ClientRequestToken and so gets the
 * same job back); if its video can no longer be read, it ends FAILED saying so.
 */
export class LocalVideoJobs {
  private readonly jobs = new Map<string, VideoJob>();
  private readonly byToken = new Map<string, string>();
  private queue: Promise<void> = Promise.resolve();
  private readonly sampling: SamplingLimits;
  private readonly frames: SharedFrames;
  private readonly store: JsonRecordFolder<VideoJob>;
  private readonly warn: (message: string) => void;
  private stopping = false;

  constructor(private readonly deps: VideoJobsDeps) {
    this.sampling = { ...DEFAULT_SAMPLING, ...deps.sampling };
    const sample = deps.sample ?? sampleFrames;
    this.frames = new SharedFrames((bytes) => sample(bytes, this.sampling));
    this.warn = deps.warn ?? ((message) => process.stderr.write(`local Rekognition Video: ${message}\n`));
    this.store = openVideoJobStore(deps.dataDir);
    const { records: jobs, skipped } = this.store.load();
    for (const file of skipped) this.warn(`skipped ${file}: not a readable job file`);
    for (const job of jobs) {
      this.jobs.set(job.id, job);
      if (job.token) this.byToken.set(`${job.kind}:${job.token}`, job.id);
      if (job.status === 'IN_PROGRESS') this.enqueue(() => this.resume(job));
    }
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

  /** Resolves when every queued job has ended and is on disk (tests, shutdown). */
  async idle(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.queue) {
      seen = this.queue;
      await seen;
    }
    await this.store.flushed();
  }

  /**
   * Stops with the stack: a job whose frames fail from now on (the vision workers are being shut down) stays
   * IN_PROGRESS on disk, so the next start runs it again instead of recording a failure the video did not cause.
   */
  stop(): void {
    this.stopping = true;
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((error: unknown) => this.warn(`a job stopped unexpectedly: ${(error as Error).message}`));
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
    const bytes = await this.readVideo(video);
    const job: VideoJob = { id: randomUUID().replace(/-/g, ''), kind, token, video, jobTag, minConfidence, status: 'IN_PROGRESS' };
    this.jobs.set(job.id, job);
    if (tokenKey) this.byToken.set(tokenKey, job.id);
    // On disk before the JobId is answered, so a job the caller knows of is never lost by a crash.
    await this.store.save(job.id, job);
    // Claimed now, so that the other job of this video, started next, finds the frames this one samples.
    const lease = this.frames.lease(bytes);
    this.enqueue(() => this.run(job, lease));
    return { JobId: job.id };
  }

  private async readVideo(video: VideoJob['video']): Promise<Buffer> {
    if (!this.deps.readS3Object) throw new RekognitionError('InvalidS3ObjectException', 'This local Rekognition has no S3 store attached');
    let bytes: Buffer;
    try {
      bytes = await this.deps.readS3Object(video.Bucket, video.Name, video.Version);
    } catch (error) {
      throw new RekognitionError('InvalidS3ObjectException', `Unable to get object metadata from S3: ${(error as Error).message}`);
    }
    if (bytes.length > MAX_VIDEO_BYTES) throw new RekognitionError('VideoTooLargeException', `${bytes.length} bytes exceed 10 GB`);
    return bytes;
  }

  /** Runs a job that was IN_PROGRESS when the process stopped, from its first frame. */
  private async resume(job: VideoJob): Promise<void> {
    if (this.stopping) return;
    let bytes: Buffer;
    try {
      bytes = await this.readVideo(job.video);
    } catch (error) {
      this.fail(job, `The local stack stopped while this job ran, and its video can no longer be read: ${(error as Error).message}`);
      await this.persist(job);
      return;
    }
    await this.run(job, this.frames.lease(bytes));
  }

  private async run(job: VideoJob, lease: FrameLease): Promise<void> {
    if (this.stopping) return lease.release();
    try {
      const { metadata, frames, intervalSeconds } = await lease.frames();
      const answers = await mapInOrder(frames, this.deps.frameConcurrency ?? 1, async (frame) => {
        const answer = JSON.parse(await this.deps.analyse(this.detectJob(job, frame.jpeg))) as {
          Labels?: FrameLabel[];
          ModerationLabels?: FrameModerationLabel[];
          LabelModelVersion?: string;
          ModerationModelVersion?: string;
        };
        return {
          timestampMillis: frame.timestampMillis,
          labels: (job.kind === 'labels' ? answer.Labels : answer.ModerationLabels) ?? [],
          modelVersion: answer.LabelModelVersion ?? answer.ModerationModelVersion,
        };
      });
      job.metadata = metadata;
      job.intervalMillis = Math.round(intervalSeconds * 1000);
      job.frames = answers.map(({ timestampMillis, labels }) => ({ timestampMillis, labels }));
      job.modelVersion = answers.find((answer) => answer.modelVersion)?.modelVersion ?? job.modelVersion;
      job.status = 'SUCCEEDED';
    } catch (error) {
      if (this.stopping) return;
      this.fail(job, `The video could not be analysed: ${(error as Error).message}`);
    } finally {
      lease.release();
    }
    await this.persist(job);
  }

  private fail(job: VideoJob, message: string): void {
    job.status = 'FAILED';
    job.frames = undefined;
    job.statusMessage = message.slice(0, 1000);
  }

  /** Saves a finished job; if the disk refuses, the job still answers from memory until the process stops. */
  private async persist(job: VideoJob): Promise<void> {
    await this.store
      .save(job.id, job)
      .catch((error: unknown) => this.warn(`job ${job.id} could not be saved: ${(error as Error).message}`));
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

/** Runs `work` on every item, at most `limit` at once, and returns the results in the items' order; stops at the first error. */
export async function mapInOrder<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next;
      next += 1;
      try {
        results[index] = await work(items[index]);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}
