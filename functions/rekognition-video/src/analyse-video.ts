import { createHash } from 'node:crypto';
import {
  GetContentModerationCommand,
  GetLabelDetectionCommand,
  StartContentModerationCommand,
  StartLabelDetectionCommand,
  type GetContentModerationCommandOutput,
  type GetLabelDetectionCommandOutput,
  type RekognitionClient,
} from '@aws-sdk/client-rekognition';
import {
  RAW_ANALYSIS_TAG,
  rawResponseKey,
  type AnalysisConfig,
  type AnalysisSummary,
  type CollectVideoAnalysisInput,
  type CollectVideoAnalysisOutput,
  type StartVideoAnalysisInput,
  type VideoAnalysisJobs,
} from '@smart-image-pipeline/contracts';
import { VideoAnalysisFailedError, VideoAnalysisTimedOutError } from './errors';
import { labelsSection, moderationSection, type Detection } from './summarise';

/** What the steps talk to; the handler passes the SDK clients, tests fakes. */
export interface VideoAnalysisDeps {
  rekognition: Pick<RekognitionClient, 'send'>;
  putJson(bucket: string, key: string, body: unknown, tags: string): Promise<void>;
  /** The analysis settings of a pipeline version (the run's; absent: the config's current one). */
  config(pipelineVersion?: string): Promise<AnalysisConfig>;
  processedBucketName: string;
  /** The clock the analysis time is read from. */
  now(): Date;
}

/** Seconds between polls: a sixth of the analysed duration, from 5 s to 30 s (short clips finish in seconds). */
export const waitSeconds = (analysedSeconds: number): number => Math.min(30, Math.max(5, Math.round(analysedSeconds / 6)));
/** Polls allowed: enough for twice the analysed duration plus 10 minutes (jobs queue at busy times). */
export const maxPolls = (analysedSeconds: number): number => Math.ceil((analysedSeconds * 2 + 600) / waitSeconds(analysedSeconds));
/** Result pages read at most per job (1,000 detections each). */
const MAX_PAGES = 50;
const REFUSALS = new Set(['InvalidS3ObjectException', 'VideoTooLargeException', 'InvalidParameterException', 'AccessDeniedException']);

/**
 * A start request's idempotency token: the revision, the job kind and a digest of the request's settings (59 of the 64
 * characters Rekognition allows). A retried start gets the same job back instead of paying twice; a reprocess under a
 * version with other thresholds gets a new job, not the first one's results.
 */
export function jobToken(input: Pick<StartVideoAnalysisInput, 'imageId' | 'revision'>, kind: 'l' | 'm', settings: object): string {
  const digest = createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 8);
  return `${input.imageId}-${input.revision}-${kind}${digest}`;
}

/**
 * Starts Rekognition Video's label detection and content moderation on the analysis video, each with its `jobToken`.
 * @throws VideoAnalysisFailedError when Rekognition refuses the video; throttling and 5xx keep the SDK's names.
 */
export async function startVideoAnalysis(input: StartVideoAnalysisInput, deps: VideoAnalysisDeps): Promise<CollectVideoAnalysisOutput> {
  const config = await deps.config(input.pipelineVersion);
  const Video = { S3Object: { Bucket: input.video.bucket, Name: input.video.key } };
  const labelJob = { Video, MinConfidence: config.minLabelConfidence, Features: ['GENERAL_LABELS' as const] };
  const moderationJob = { Video, MinConfidence: config.minModerationConfidence };
  try {
    const [labels, moderation] = await Promise.all([
      deps.rekognition.send(
        new StartLabelDetectionCommand({ ...labelJob, ClientRequestToken: jobToken(input, 'l', labelJob), JobTag: input.imageId }),
      ),
      deps.rekognition.send(
        new StartContentModerationCommand({
          ...moderationJob,
          ClientRequestToken: jobToken(input, 'm', moderationJob),
          JobTag: input.imageId,
        }),
      ),
    ]);
    const analysedSeconds = input.video.seconds ?? 0;
    const jobs: VideoAnalysisJobs = {
      labelJobId: labels.JobId!,
      moderationJobId: moderation.JobId!,
      startedAt: deps.now().toISOString(),
      analysedSeconds,
    };
    return { jobs, done: false, polls: 0, waitSeconds: waitSeconds(analysedSeconds), summary: null, durationMs: null };
  } catch (error) {
    const name = (error as Error).name;
    if (REFUSALS.has(name))
      throw new VideoAnalysisFailedError(
        `Rekognition Video refused s3://${input.video.bucket}/${input.video.key}: ${name}: ${(error as Error).message}`,
        { cause: error },
      );
    throw error;
  }
}

/**
 * Polls both jobs; when both succeeded, reads every result page (AggregateBy SEGMENTS), stores the raw pages and
 * returns the summary: labels and moderation labels with the time segments they cover.
 * @throws VideoAnalysisFailedError (a job FAILED), VideoAnalysisTimedOutError (still running after maxPolls).
 */
export async function collectVideoAnalysis(input: CollectVideoAnalysisInput, deps: VideoAnalysisDeps): Promise<CollectVideoAnalysisOutput> {
  const { jobs } = input;
  const [labelsHead, moderationHead] = await Promise.all([
    deps.rekognition.send(new GetLabelDetectionCommand({ JobId: jobs.labelJobId, MaxResults: 1 })),
    deps.rekognition.send(new GetContentModerationCommand({ JobId: jobs.moderationJobId, MaxResults: 1 })),
  ]).catch((error: unknown) => {
    // A job id Rekognition does not know (expired results, another account or region) never becomes known: not retried.
    if ((error as Error).name === 'ResourceNotFoundException')
      throw new VideoAnalysisFailedError(`Rekognition Video has no such job: ${(error as Error).message}`, { cause: error });
    throw error;
  });
  for (const [api, head] of [
    ['StartLabelDetection', labelsHead],
    ['StartContentModeration', moderationHead],
  ] as const) {
    if (head.JobStatus === 'FAILED') throw new VideoAnalysisFailedError(`${api} job failed: ${head.StatusMessage ?? 'no reason given'}`);
  }
  if (labelsHead.JobStatus !== 'SUCCEEDED' || moderationHead.JobStatus !== 'SUCCEEDED') {
    const polls = input.polls + 1;
    const wait = waitSeconds(jobs.analysedSeconds);
    if (polls > maxPolls(jobs.analysedSeconds))
      throw new VideoAnalysisTimedOutError(
        `Rekognition Video jobs still running after ${polls} polls (${Math.round((polls * wait) / 60)} min)`,
      );
    return { jobs, done: false, polls, waitSeconds: wait, summary: null, durationMs: null };
  }
  const config = await deps.config(input.pipelineVersion);
  const labelPages = await allPages((NextToken) =>
    deps.rekognition.send(
      new GetLabelDetectionCommand({ JobId: jobs.labelJobId, MaxResults: 1000, NextToken, SortBy: 'TIMESTAMP', AggregateBy: 'SEGMENTS' }),
    ),
  );
  const moderationPages = await allPages((NextToken) =>
    deps.rekognition.send(
      new GetContentModerationCommand({
        JobId: jobs.moderationJobId,
        MaxResults: 1000,
        NextToken,
        SortBy: 'TIMESTAMP',
        AggregateBy: 'SEGMENTS',
      }),
    ),
  );

  const rawKeys = {
    StartLabelDetection: rawResponseKey(input.imageId, input.revision, 'get-label-detection.json'),
    StartContentModeration: rawResponseKey(input.imageId, input.revision, 'get-content-moderation.json'),
  };
  const tags = `${RAW_ANALYSIS_TAG.key}=${RAW_ANALYSIS_TAG.value}`;
  await Promise.all([
    deps.putJson(deps.processedBucketName, rawKeys.StartLabelDetection, strip(labelPages), tags),
    deps.putJson(deps.processedBucketName, rawKeys.StartContentModeration, strip(moderationPages), tags),
  ]);

  const labels: Detection[] = labelPages
    .flatMap((page) =>
      (page.Labels ?? []).map((entry) => ({
        name: entry.Label?.Name ?? '',
        confidence: entry.Label?.Confidence ?? 0,
        startMs: entry.StartTimestampMillis ?? entry.Timestamp ?? 0,
        endMs: entry.EndTimestampMillis ?? entry.Timestamp ?? 0,
        parents: (entry.Label?.Parents ?? []).map((parent) => parent.Name ?? '').filter((name) => name !== ''),
      })),
    )
    .filter((d) => d.name !== '');
  const moderation: Detection[] = moderationPages
    .flatMap((page) =>
      (page.ModerationLabels ?? []).map((entry) => ({
        name: entry.ModerationLabel?.Name ?? '',
        confidence: entry.ModerationLabel?.Confidence ?? 0,
        startMs: entry.StartTimestampMillis ?? entry.Timestamp ?? 0,
        endMs: entry.EndTimestampMillis ?? entry.Timestamp ?? 0,
        parentName: entry.ModerationLabel?.ParentName ?? '',
      })),
    )
    .filter((d) => d.name !== '');
  const metadata = labelsHead.VideoMetadata;
  const summary: AnalysisSummary = {
    sections: {
      labels: labelsSection(labels, config.minLabelConfidence, {
        analysedSeconds: jobs.analysedSeconds,
        durationSeconds: metadata?.DurationMillis !== undefined ? metadata.DurationMillis / 1000 : null,
        frameRate: metadata?.FrameRate ?? null,
        labelModelVersion: labelPages[0]?.LabelModelVersion ?? null,
      }),
      moderation: moderationSection(moderation, config.minModerationConfidence),
    },
    calls: ['StartLabelDetection', 'StartContentModeration'],
    skipped: {},
    rawKeys,
  };
  return {
    jobs,
    done: true,
    polls: input.polls + 1,
    waitSeconds: waitSeconds(jobs.analysedSeconds),
    summary,
    durationMs: analysisMs(jobs.startedAt, deps.now()),
  };
}

/** Milliseconds from the jobs' start to now; null when the start time is unreadable (never a made-up number). */
export function analysisMs(startedAt: string, now: Date): number | null {
  const started = Date.parse(startedAt);
  return Number.isNaN(started) ? null : Math.max(0, Math.round(now.getTime() - started));
}

async function allPages<T extends GetLabelDetectionCommandOutput | GetContentModerationCommandOutput>(
  get: (token: string | undefined) => Promise<T>,
): Promise<T[]> {
  const pages: T[] = [];
  let token: string | undefined;
  do {
    const page = await get(token);
    pages.push(page);
    token = page.NextToken;
  } while (token && pages.length < MAX_PAGES);
  return pages;
}

const strip = (pages: Array<{ $metadata?: unknown }>): unknown[] => pages.map(({ $metadata: _metadata, ...page }) => page);
