// A namespace import lets esbuild drop what is unused (zod's locales alone are ~350 KB minified).
import * as z from 'zod';
import { PIPELINE_VERSION_PATTERN } from '../ids';
import { finiteNumber, nonEmptyString, objectOf } from '../validation';
import { analysisSummarySchema } from './analysis';
import { bucketSchema, executionArnSchema, imageIdSchema, keySchema, revisionSchema, sourceOrderSchema, versionIdSchema } from './common';

const count = z.number().int().nonnegative();
const side = z.number().int().positive();
const seconds = z.number().nonnegative();
/** The run's pipeline version (ResolveVersion's name): its thresholds apply; absent means the config's current one. */
const pipelineVersion = z.string().regex(PIPELINE_VERSION_PATTERN, { error: 'must be a version name such as v2' }).optional();

/**
 * What ResizeImage returns for a video: the fields of an image result, empty, so the state machine's ResultSelector
 * reads the same paths; `mediaType` routes the run to the video branch (docs/contracts.md "Videos").
 */
export const videoHandoffSchema = z.object({
  mediaType: z.literal('video'),
  analysable: z.literal(false),
  image: z.null(),
  exif: z.null(),
  placeholder: z.null(),
  perceptualHash: z.null(),
  imageProperties: z.null(),
  variants: z.array(z.never()),
  analysisImage: z.null(),
});

/** ProbeVideo's input: the ids and the upload, as ResizeImage got them. */
export const probeVideoInputSchema = objectOf({
  imageId: imageIdSchema,
  revision: revisionSchema,
  source: objectOf({ bucket: bucketSchema, key: keySchema, versionId: versionIdSchema, sourceOrder: sourceOrderSchema }),
  executionArn: executionArnSchema,
});

/** One stream of the container, as its header describes it. */
export const videoStreamSchema = z.object({
  kind: z.enum(['video', 'audio', 'other']),
  /** The container's codec id (an ISO-BMFF sample entry such as `avc1`, or a Matroska CodecID such as `V_VP9`). */
  codecId: z.string(),
  /** The pipeline's name for it (`h264`, `aac`, …), or null when it has none. */
  codec: z.string().nullable(),
  width: side.optional(),
  height: side.optional(),
  frameRate: finiteNumber().optional(),
  durationSeconds: seconds.optional(),
  sampleRate: side.optional(),
  channels: side.optional(),
});

/** What the container header says about the video, checked against the limits. */
export const videoFactsSchema = z.object({
  container: z.enum(['mp4', 'mov', 'webm', 'matroska']),
  contentType: z.string(),
  bytes: count,
  durationSeconds: seconds,
  /** Display size (after a rotation the container asks for). */
  width: side,
  height: side,
  rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]),
  frameRate: finiteNumber().nullable(),
  videoCodec: z.string(),
  audioCodec: z.string().nullable(),
  streams: z.array(videoStreamSchema),
  /** How many bytes of the object the probe read (header only). */
  headerBytesRead: count,
});

/** The thumbnails the transcode captures, and how the sprite lays them out. */
export const thumbnailPlanSchema = z.object({
  intervalSeconds: side,
  count: side,
  width: side,
  height: side,
  columns: side,
});

/** A MediaConvert job's Settings (JobSettings); built by ProbeVideo, passed through the state machine as they are. */
export const mediaConvertSettingsSchema = z.record(z.string(), z.unknown());

/** What ProbeVideo plans: the MediaConvert jobs and where every output will be. */
export const videoPlanSchema = z.object({
  transcode: z.object({ settings: mediaConvertSettingsSchema }),
  /** A second job cutting the first maxAnalysisMinutes of a longer video; null when the rendition is analysed. */
  analysisClip: z.object({ settings: mediaConvertSettingsSchema }).nullable(),
  outputs: z.object({
    bucket: bucketSchema,
    renditionKey: keySchema,
    renditionWidth: side,
    renditionHeight: side,
    posterPrefix: keySchema,
    thumbnailPrefix: keySchema,
    spriteKey: keySchema,
    hlsKey: keySchema.nullable(),
  }),
  thumbnails: thumbnailPlanSchema,
  /** The video Rekognition analyses, and how much of the upload it covers. */
  analysis: z.object({ bucket: bucketSchema, key: keySchema, seconds, clipped: z.boolean() }),
});

/** ProbeVideo's output, the state's `$.video`. */
export const probeVideoOutputSchema = z.object({ facts: videoFactsSchema, plan: videoPlanSchema });

/** RekognitionVideo's `start` action: the video to analyse. */
export const startVideoAnalysisInputSchema = objectOf({
  action: z.literal('start'),
  imageId: imageIdSchema,
  revision: revisionSchema,
  video: objectOf({ bucket: bucketSchema, key: keySchema, seconds: seconds.optional() }),
  executionArn: executionArnSchema,
  pipelineVersion,
});

/** The Rekognition Video jobs one run started. */
export const videoAnalysisJobsSchema = z.object({
  labelJobId: nonEmptyString(),
  moderationJobId: nonEmptyString(),
  startedAt: z.string(),
  analysedSeconds: seconds,
});

/** RekognitionVideo's `collect` action: the jobs, and how many times they were polled before. */
export const collectVideoAnalysisInputSchema = objectOf({
  action: z.literal('collect'),
  imageId: imageIdSchema,
  revision: revisionSchema,
  jobs: videoAnalysisJobsSchema,
  polls: count.default(0),
  executionArn: executionArnSchema,
  pipelineVersion,
});

/**
 * What `start` and `collect` return (the state's `$.videoAnalysis`, one shape for the whole polling loop): the jobs,
 * not done yet (wait `waitSeconds`, poll again), or done with the summary (an image's shape, with time segments).
 */
export const collectVideoAnalysisOutputSchema = z.object({
  jobs: videoAnalysisJobsSchema,
  done: z.boolean(),
  polls: count,
  /** Seconds the state machine waits before the next poll. */
  waitSeconds: side,
  summary: analysisSummarySchema.nullable(),
  /**
   * The analysis step's time (ms) once done: from starting the jobs (`jobs.startedAt`) to the poll that found them
   * done, the Wait states included (the facts' `videoAnalysisMs`); null while not done.
   */
  durationMs: z.number().int().min(0).nullable(),
});

/** ComposeVideoThumbnails' input: the ids and the plan. */
export const composeThumbnailsInputSchema = objectOf({
  imageId: imageIdSchema,
  revision: revisionSchema,
  plan: videoPlanSchema,
  executionArn: executionArnSchema,
});

/** Where the finished outputs of a video are, as the table and the console read them. */
export const videoOutputsSchema = z.object({
  rendition: z.object({ key: keySchema, width: side, height: side }),
  poster: z.object({ key: keySchema, width: side, height: side }).nullable(),
  sprite: z
    .object({
      key: keySchema,
      columns: side,
      rows: side,
      tileWidth: side,
      tileHeight: side,
      count: side,
      intervalSeconds: side,
      bytes: count,
    })
    .nullable(),
  hls: z.object({ key: keySchema }).nullable(),
});

export type VideoHandoff = z.output<typeof videoHandoffSchema>;
export type ProbeVideoInput = z.output<typeof probeVideoInputSchema>;
export type VideoStream = z.output<typeof videoStreamSchema>;
export type VideoFacts = z.output<typeof videoFactsSchema>;
export type ThumbnailPlan = z.output<typeof thumbnailPlanSchema>;
export type VideoPlan = z.output<typeof videoPlanSchema>;
export type ProbeVideoOutput = z.output<typeof probeVideoOutputSchema>;
export type StartVideoAnalysisInput = z.output<typeof startVideoAnalysisInputSchema>;
export type VideoAnalysisJobs = z.output<typeof videoAnalysisJobsSchema>;
export type CollectVideoAnalysisInput = z.output<typeof collectVideoAnalysisInputSchema>;
export type CollectVideoAnalysisOutput = z.output<typeof collectVideoAnalysisOutputSchema>;
export type ComposeThumbnailsInput = z.output<typeof composeThumbnailsInputSchema>;
export type VideoOutputs = z.output<typeof videoOutputsSchema>;
