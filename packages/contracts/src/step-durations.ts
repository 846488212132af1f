import * as z from 'zod';

/**
 * Per-step durations of one run (issue 15): what each Lambda step's handler measured itself (lambda-kit's withHandler
 * `step` option, milliseconds from the invocation's start to its result; Lambda init, queueing and retries excluded),
 * carried on the step's result as `durationMs`, gathered by StoreMetadata into the events and from there into the
 * analytics facts. null: the step did not run (a small image is not analysed), failed, or ran before the field existed.
 */

/**
 * The timed steps of a run, in run order: an image's resolveVersion, resize, analyse, store; a video's resolveVersion,
 * resize (ResizeImage telling it is a video), transcode, videoAnalysis, store.
 */
export const PIPELINE_STEPS = Object.freeze(['resolveVersion', 'resize', 'analyse', 'transcode', 'videoAnalysis', 'store'] as const);

/** The video branch's steps: added after the first four, so events and facts written before them lack their fields. */
export const VIDEO_STEPS = Object.freeze(['transcode', 'videoAnalysis'] as const);

export type PipelineStep = (typeof PIPELINE_STEPS)[number];

/**
 * The duration fields of a fact and an event: `resolveVersionMs`, `resizeMs`, `analyseMs`, `transcodeMs`,
 * `videoAnalysisMs`, `storeMs`.
 */
export type StepDurations = { [Step in PipelineStep as `${Step}Ms`]: number | null };

/** The field holding one step's duration. */
export function stepDurationField<Step extends PipelineStep>(step: Step): `${Step}Ms` {
  return `${step}Ms`;
}

const ms = z.number().int().min(0).nullable();

/**
 * The `stepDurations` object of Image Processed and Image Failed: every step's field, null when not measured; the video
 * steps' fields may be absent (events published before they existed, e.g. replayed from the unpublished-events queue).
 */
export const stepDurationsSchema = z.strictObject({
  resolveVersionMs: ms,
  resizeMs: ms,
  analyseMs: ms,
  transcodeMs: ms.optional(),
  videoAnalysisMs: ms.optional(),
  storeMs: ms,
});

/** A step's `durationMs` as a state carries it: a whole number of milliseconds, else null (never trusted blindly). */
export function durationOf(result: unknown): number | null {
  const value = result !== null && typeof result === 'object' ? (result as { durationMs?: unknown }).durationMs : undefined;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
}

/** Epoch numbers at or above this are milliseconds: as seconds it is the year 5138, as milliseconds 1973. */
const EPOCH_MILLISECONDS_FROM = 1e11;

/**
 * Milliseconds of a MediaConvert `Job.Timing` time as a state holds it. MediaConvert's API sends epoch seconds
 * (`__timestampUnix`: botocore mediaconvert/2017-08-29/service-2.json; @aws-sdk/client-mediaconvert's schema marks
 * them epoch-seconds and parses them into Dates). What Step Functions' `createJob.sync` puts in the task result is not
 * documented: its one stored optimized `.sync` result (aws-samples/serverless-patterns sfn-glue-sam/Readme.md, Glue
 * `startJobRun.sync`) gives epoch milliseconds where Glue's API gives seconds, and local mode writes ISO strings. So a
 * number is read by its size and an ISO 8601 string is parsed.
 */
function mediaConvertTime(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value >= EPOCH_MILLISECONDS_FROM ? value : value * 1000;
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? null : parsed;
  }
  return null;
}

/**
 * A MediaConvert job's time from submission to finish (its queue wait and transcode), from the `Timing` a state keeps
 * of the job (`{ SubmitTime, FinishTime }`); null when the job did not run or its times are unreadable.
 */
export function mediaConvertJobMs(job: unknown): number | null {
  const timing = job !== null && typeof job === 'object' ? (job as { timing?: unknown }).timing : undefined;
  if (timing === null || typeof timing !== 'object') return null;
  const { SubmitTime, FinishTime } = timing as { SubmitTime?: unknown; FinishTime?: unknown };
  const [submitted, finished] = [mediaConvertTime(SubmitTime), mediaConvertTime(FinishTime)];
  return submitted === null || finished === null || finished < submitted ? null : Math.round(finished - submitted);
}

/** The transcode step's time: the rendition job's plus the analysis clip's when one was cut (they run one after the other). */
function transcodeMs(transcoded: unknown, clipped: unknown): number | null {
  const rendition = mediaConvertJobMs(transcoded);
  const clip = mediaConvertJobMs(clipped);
  return rendition === null ? null : rendition + (clip ?? 0);
}

/**
 * The durations a run's state holds so far: ResolveVersion's at `$.resolvedVersion`, ResizeImage's at `$.resize`,
 * AnalyseImage's at `$.analysis` (each state's ResultSelector copies the handler's `durationMs`); the video branch's
 * MediaConvert jobs' `timing` at `$.transcoded` and `$.clipped` (no Lambda to time them: MediaConvert's own
 * submit-to-finish times), and the video analysis at `$.videoAnalysis` (RekognitionVideo's `durationMs`: from starting
 * the jobs to the poll that found them done, across the Wait states); `storeMs` is the caller's own (StoreMetadata
 * measures itself), null on a failure.
 */
export function stepDurationsOf(state: unknown, storeMs: number | null): StepDurations {
  const at = (key: string) => (state !== null && typeof state === 'object' ? (state as Record<string, unknown>)[key] : undefined);
  return {
    resolveVersionMs: durationOf(at('resolvedVersion')),
    resizeMs: durationOf(at('resize')),
    analyseMs: durationOf(at('analysis')),
    transcodeMs: transcodeMs(at('transcoded'), at('clipped')),
    videoAnalysisMs: durationOf(at('videoAnalysis')),
    storeMs: storeMs === null ? null : Math.max(0, Math.round(storeMs)),
  };
}
