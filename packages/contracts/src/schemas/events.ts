// A namespace import lets esbuild drop what is unused (zod's locales alone are ~350 KB minified).
import * as z from 'zod';
import { imageFormatSchema } from './resize';
import { imageIdSchema, revisionSchema, timestampSchema } from './common';
import { PIPELINE_VERSION_PATTERN } from '../ids';
import { stepDurationsSchema } from '../step-durations';

/**
 * The events the state machine publishes on the stack's EventBridge bus (docs/contracts.md "Events"). These zod schemas
 * are the code side of the JSON Schema files in packages/contracts/event-schemas/, which the template registers in the
 * stack's schema registry; a contracts test keeps the two agreeing on valid and invalid events.
 */

/** The `source` of every event the pipeline publishes. */
export const EVENT_SOURCE = 'smart-image-pipeline';

/** The `detail-type` of each event. */
export const DETAIL_TYPES = Object.freeze({
  processed: 'Image Processed',
  failed: 'Image Failed',
  flagged: 'Image Flagged',
} as const);

/** One of the detail types above. */
export type DetailType = (typeof DETAIL_TYPES)[keyof typeof DETAIL_TYPES];

/** Major version of every detail schema; a breaking change publishes a new version beside this one. */
export const EVENT_SCHEMA_VERSION = 1;

/** Most labels (and moderation labels) an event carries: a summary, the item holds them all. */
export const EVENT_LABEL_LIMIT = 10;

/** An owner as events carry it: a Cognito sub (lower-case UUID) or `unowned`; never an address. */
export const EVENT_OWNER_PATTERN = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|unowned)$/;

const side = z.number().int().min(1);
const confidence = z.number().min(0).max(100);
const labelName = z.string().min(1).max(100);

const detailBase = {
  schemaVersion: z.literal(EVENT_SCHEMA_VERSION),
  imageId: imageIdSchema,
  revision: revisionSchema,
  owner: z.string().regex(EVENT_OWNER_PATTERN, { error: 'must be a Cognito sub or "unowned"' }),
  receivedAt: timestampSchema,
  /** The pipeline version that produced the result (absent on events of runs from before versions). */
  pipelineVersion: z.string().regex(PIPELINE_VERSION_PATTERN, { error: 'must be a version name such as v2' }).optional(),
};

/** An image format, or a video container (a video upload's facts use the same fields). */
export const uploadFormatSchema = z.union([imageFormatSchema, z.enum(['mp4', 'mov', 'webm', 'matroska'])]);

/** Detail of `Image Processed`: ids, owner, image (or video) facts, a labels summary and the variant keys. */
export const imageProcessedDetailSchema = z.strictObject({
  ...detailBase,
  status: z.literal('SUCCEEDED'),
  /** The upload's facts; for a video (issue 14) `format` is its container and `video` adds the duration. */
  image: z.strictObject({ format: uploadFormatSchema, width: side, height: side, bytes: z.number().int().min(0) }),
  video: z.strictObject({ durationSeconds: z.number().min(0) }).optional(),
  /** Bytes of every variant written; absent on events published before it existed. */
  bytesOut: z.number().int().min(0).optional(),
  analysed: z.boolean(),
  /** Rekognition calls made for this image, and optional calls the configuration skipped (absent on older events). */
  rekognitionCalls: z.number().int().min(0).optional(),
  rekognitionSkipped: z.number().int().min(0).optional(),
  labels: z.array(z.strictObject({ name: labelName, confidence }), { error: 'must be an array' }).max(EVENT_LABEL_LIMIT),
  moderated: z.boolean(),
  faceCount: z.number().int().min(0),
  /** Each step's own measured time (ms, null when it did not run); absent on events published before it existed. */
  stepDurations: stepDurationsSchema.optional(),
  variants: z
    .array(
      z.strictObject({
        key: z.string().regex(/^images\/[0-9a-f]{32}\/[0-9a-f]{16}\/w[0-9]+\.(webp|jpg)$/, { error: 'must be a variant key' }),
        format: z.enum(['webp', 'jpeg']),
        width: side,
        height: side,
      }),
    )
    .max(20),
});

/** Detail of `Image Failed`: ids, owner and the error name (the cause stays on the item: it may quote the key). */
export const imageFailedDetailSchema = z.strictObject({
  ...detailBase,
  status: z.literal('FAILED'),
  error: z.strictObject({ name: z.string().regex(/^[A-Za-z0-9_.]{1,128}$/, { error: 'must be an error name' }) }),
  /** The steps that finished before the failure (ms); the failing step and those after it are null. */
  stepDurations: stepDurationsSchema.optional(),
});

/** Detail of `Image Flagged`: ids, owner and the moderation labels found. */
export const imageFlaggedDetailSchema = z.strictObject({
  ...detailBase,
  moderationLabels: z
    .array(z.strictObject({ name: labelName, confidence, parentName: z.string().max(100) }))
    .min(1)
    .max(EVENT_LABEL_LIMIT),
});

/** The detail schema of each detail type. */
export const DETAIL_SCHEMAS = Object.freeze({
  [DETAIL_TYPES.processed]: imageProcessedDetailSchema,
  [DETAIL_TYPES.failed]: imageFailedDetailSchema,
  [DETAIL_TYPES.flagged]: imageFlaggedDetailSchema,
} as const);

const envelopeOf = <T extends DetailType, D extends z.ZodType>(detailType: T, detail: D) =>
  z.object({
    version: z.string(),
    id: z.string(),
    'detail-type': z.literal(detailType),
    source: z.literal(EVENT_SOURCE),
    account: z.string(),
    time: timestampSchema,
    region: z.string(),
    resources: z.array(z.string()),
    detail,
  });

/** A whole event as EventBridge delivers it to a rule's target, checked by its detail type. */
export const pipelineEventSchema = z.discriminatedUnion('detail-type', [
  envelopeOf(DETAIL_TYPES.processed, imageProcessedDetailSchema),
  envelopeOf(DETAIL_TYPES.failed, imageFailedDetailSchema),
  envelopeOf(DETAIL_TYPES.flagged, imageFlaggedDetailSchema),
]);

/**
 * What StoreMetadata and RecordFailure hand the state machine to publish (`$.stored.events`): one detail per event
 * type, present only when that event is due (nothing when a newer revision holds the item).
 */
export const storedEventsSchema = z.strictObject({
  processed: imageProcessedDetailSchema.optional(),
  flagged: imageFlaggedDetailSchema.optional(),
  failed: imageFailedDetailSchema.optional(),
});

export type ImageProcessedDetail = z.output<typeof imageProcessedDetailSchema>;
export type ImageFailedDetail = z.output<typeof imageFailedDetailSchema>;
export type ImageFlaggedDetail = z.output<typeof imageFlaggedDetailSchema>;
export type PipelineEvent = z.output<typeof pipelineEventSchema>;
export type StoredEvents = z.output<typeof storedEventsSchema>;
