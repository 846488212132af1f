import * as z from 'zod';
import { imageIdSchema, revisionSchema, timestampSchema } from './common';
import { DETAIL_TYPES, EVENT_LABEL_LIMIT, EVENT_OWNER_PATTERN, uploadFormatSchema, type PipelineEvent } from './events';
import { PIPELINE_VERSION_PATTERN } from '../ids';
import { PIPELINE_STEPS, stepDurationField, type StepDurations } from '../step-durations';

/**
 * Analytics facts (issue 15): one flat, append-only record per pipeline event, written once. In the cloud the
 * template's Analytics*FactsRule input transformers build them from the events on the bus and Firehose lands them in
 * S3 as Parquet (Glue table `facts`); `factFromEvent` is the code side of those transformers, and a template test
 * keeps the two equal. No PII: the owner is a Cognito sub or `unowned`, never an address or an object key.
 */

/** Major version of the fact schema; a breaking change writes a new version beside this one. */
export const FACT_SCHEMA_VERSION = 1;

const confidence = z.number().min(0).max(100);
const labelName = z.string().min(1).max(100);

const factBase = {
  schemaVersion: z.literal(FACT_SCHEMA_VERSION),
  /** The EventBridge event id: a reader can drop a redelivered fact by it. */
  eventId: z.string().min(1),
  /** When the event was published (the partition date comes from Firehose's arrival time). */
  occurredAt: timestampSchema,
  imageId: imageIdSchema,
  revision: revisionSchema,
  owner: z.string().regex(EVENT_OWNER_PATTERN, { error: 'must be a Cognito sub or "unowned"' }),
  receivedAt: timestampSchema,
  /**
   * The pipeline version of the run; '' when the event had none (a run that failed before its version was resolved:
   * the transformer's quoted placeholder of an absent path), null in facts written before the field existed.
   */
  pipelineVersion: z
    .string()
    .regex(new RegExp(`^(?:${PIPELINE_VERSION_PATTERN.source.slice(1, -1)})?$`), { error: "must be a version name such as v2, or ''" })
    .nullable(),
};

/** Each step's measured time in ms (`resolveVersionMs`, `resizeMs`, `analyseMs`, `storeMs`); null = not measured. */
const stepDurationFields = Object.fromEntries(
  PIPELINE_STEPS.map((step) => [stepDurationField(step), z.number().int().min(0).nullable()]),
) as Record<keyof StepDurations, z.ZodNullable<z.ZodNumber>>;

/** An image stored: its format, size, input bytes, whether Rekognition was called, and the labels found. */
export const processedFactSchema = z.strictObject({
  ...factBase,
  factType: z.literal('processed'),
  status: z.literal('SUCCEEDED'),
  /** An image format, or a video's container (issue 14). */
  format: uploadFormatSchema,
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  bytesIn: z.number().int().min(0),
  /** Bytes of all variants written; null for events published before the field existed. */
  bytesOut: z.number().int().min(0).nullable(),
  /** true: the analysis step called Rekognition; false: the configuration skipped it. */
  analysed: z.boolean(),
  /** Rekognition calls made, and optional calls the configuration skipped; null on older events. */
  rekognitionCalls: z.number().int().min(0).nullable(),
  rekognitionSkipped: z.number().int().min(0).nullable(),
  labels: z.array(z.strictObject({ name: labelName, confidence })).max(EVENT_LABEL_LIMIT),
  moderated: z.boolean(),
  faceCount: z.number().int().min(0),
  ...stepDurationFields,
});

/** An image that failed, with the error name as its failure reason. */
export const failedFactSchema = z.strictObject({
  ...factBase,
  factType: z.literal('failed'),
  status: z.literal('FAILED'),
  failureReason: z.string().regex(/^[A-Za-z0-9_.]{1,128}$/, { error: 'must be an error name' }),
  ...stepDurationFields,
});

/** An image whose moderation labels flagged it. */
export const flaggedFactSchema = z.strictObject({
  ...factBase,
  factType: z.literal('flagged'),
  moderationLabels: z
    .array(z.strictObject({ name: labelName, confidence, parentName: z.string().max(100) }))
    .min(1)
    .max(EVENT_LABEL_LIMIT),
});

/** Any fact, told apart by `factType`. */
export const analyticsFactSchema = z.discriminatedUnion('factType', [processedFactSchema, failedFactSchema, flaggedFactSchema]);

export type AnalyticsFact = z.output<typeof analyticsFactSchema>;

/** The fact an event becomes: the same fields the template's input transformers pick out. */
export function factFromEvent(event: PipelineEvent): AnalyticsFact {
  const { detail } = event;
  const base = {
    schemaVersion: FACT_SCHEMA_VERSION,
    eventId: event.id,
    occurredAt: event.time,
    imageId: detail.imageId,
    revision: detail.revision,
    owner: detail.owner,
    receivedAt: detail.receivedAt,
    pipelineVersion: detail.pipelineVersion ?? '',
  } as const;
  const durations = (measured: Partial<StepDurations> | undefined): StepDurations =>
    Object.fromEntries(
      PIPELINE_STEPS.map((step) => [stepDurationField(step), measured?.[stepDurationField(step)] ?? null]),
    ) as StepDurations;
  switch (event['detail-type']) {
    case DETAIL_TYPES.processed: {
      const processed = event.detail;
      return {
        ...base,
        factType: 'processed',
        status: processed.status,
        format: processed.image.format,
        width: processed.image.width,
        height: processed.image.height,
        bytesIn: processed.image.bytes,
        bytesOut: processed.bytesOut ?? null,
        analysed: processed.analysed,
        rekognitionCalls: processed.rekognitionCalls ?? null,
        rekognitionSkipped: processed.rekognitionSkipped ?? null,
        labels: processed.labels,
        moderated: processed.moderated,
        faceCount: processed.faceCount,
        ...durations(processed.stepDurations),
      };
    }
    case DETAIL_TYPES.failed:
      return {
        ...base,
        factType: 'failed',
        status: event.detail.status,
        failureReason: event.detail.error.name,
        ...durations(event.detail.stepDurations),
      };
    case DETAIL_TYPES.flagged:
      return { ...base, factType: 'flagged', moderationLabels: event.detail.moderationLabels };
  }
}
