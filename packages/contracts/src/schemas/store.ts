// A namespace import lets esbuild drop what is unused (zod's locales alone are ~350 KB minified).
import * as z from 'zod';
import { isObject } from '../is-object';
import { finiteNumber, objectOf } from '../validation';
import { analysisSummarySchema } from './analysis';
import { PIPELINE_VERSION_PATTERN, requestedPipelineVersion } from '../ids';
import { videoFactsSchema, videoOutputsSchema, videoPlanSchema } from './video';
import { ownerFromKey } from '../owner';
import { storedEventsSchema } from './events';
import {
  bucketSchema,
  imageIdSchema,
  keySchema,
  ownerSchema,
  perceptualHashSchema,
  revisionSchema,
  sourceOrderSchema,
  timestampSchema,
  versionIdSchema,
} from './common';

/** The fields StoreMetadata and RecordFailure both need: the image, its revision, its owner and where it came from. */
const imageRefShape = {
  imageId: imageIdSchema,
  revision: revisionSchema,
  owner: ownerSchema.optional(),
  source: z.object(
    { bucket: bucketSchema, key: keySchema, versionId: versionIdSchema, sourceOrder: sourceOrderSchema },
    { error: 'must be an object' },
  ),
  receivedAt: timestampSchema,
  /**
   * ResolveVersion's result. When the run failed before a version was resolved, MarkUnresolvedVersion gives
   * `{ executionInput }` instead, and the version the input asked for (if any) becomes the name.
   */
  resolvedVersion: z
    .object({
      name: z.string().regex(PIPELINE_VERSION_PATTERN, { error: 'must be a version name such as v2' }).optional(),
      executionInput: z.unknown().optional(),
    })
    .transform(({ name, executionInput }) => {
      const resolved = name ?? requestedPipelineVersion(executionInput);
      return resolved === undefined ? {} : { name: resolved };
    })
    .optional(),
};

/**
 * The owner the trigger put on the execution input; an execution started before owners existed has none, and gets
 * the one its key names, by the trigger's own rule.
 */
function withOwner<T extends { owner?: string; source: { key: string } }>(value: T): T & { owner: string } {
  return { ...value, owner: value.owner ?? ownerFromKey(value.source.key) };
}

/** A part of the resize result that is only stored: any object, else null. */
const storedObject = z
  .unknown()
  .optional()
  .transform((value) => (isObject(value) ? value : null));

/**
 * The resize result as StoreMetadata reads it. Only what it indexes or derives from is checked; the rest is
 * stored as it came.
 */
export const storedResizeSchema = z.object(
  {
    analysable: z.boolean({ error: 'must be a boolean' }),
    // null for a video (its facts are at `video`).
    image: z.record(z.string(), z.unknown(), { error: 'must be an object' }).nullable(),
    exif: storedObject,
    placeholder: storedObject,
    perceptualHash: perceptualHashSchema.nullish().transform((value) => value ?? null),
    variants: z.array(
      z.object({
        key: z.string({ error: 'must be a string' }),
        format: z
          .unknown()
          .optional()
          .transform((value) => String(value ?? '')),
        width: finiteNumber(),
        height: finiteNumber(),
        bytes: z
          .unknown()
          .optional()
          .transform((value) => (typeof value === 'number' && Number.isFinite(value) ? value : 0)),
      }),
      { error: 'must be an array' },
    ),
    analysisImage: storedObject,
    /** sharp's colours and quality: kept so a reprocess that reuses this resize can still summarise them. */
    imageProperties: storedObject,
  },
  { error: 'must be an object' },
);

/** StoreMetadata's default action: the whole state after a successful run (`analysis` absent when skipped). */
export const storeSuccessInputSchema = objectOf({
  ...imageRefShape,
  resize: storedResizeSchema,
  analysis: z
    .object({ summary: analysisSummarySchema }, { error: 'must be an object when present' })
    .nullish()
    .transform((value) => value?.summary ?? null),
  // A video's probe result and finished outputs (issue 14); absent for images.
  video: z
    .object({ facts: videoFactsSchema, plan: videoPlanSchema }, { error: 'must be the ProbeVideo result' })
    .nullish()
    .transform((value) => value ?? null),
  videoOutputs: videoOutputsSchema.nullish().transform((value) => value ?? null),
}).transform(withOwner);

/** RecordFailure's input: the ids and the Catch's `{ Error, Cause }` at `error`. */
export const recordFailureInputSchema = objectOf({
  ...imageRefShape,
  error: z.object({ Error: z.unknown().optional(), Cause: z.unknown().optional() }, { error: 'must be the Catch result { Error, Cause }' }),
}).transform(withOwner);

/** Which of StoreMetadataFunction's two jobs a state asks for. */
export const storeActionSchema = objectOf(
  {
    action: z
      .enum(['storeMetadata', 'recordFailure'], {
        error: (issue) => `must be storeMetadata or recordFailure (unknown action ${String(JSON.stringify(issue.input)).slice(0, 60)})`,
      })
      .default('storeMetadata'),
  },
  'is not an object',
);

/** What StoreMetadata's core reports about its write. */
export const storeWriteSchema = z.object({
  imageId: z.string(),
  status: z.enum(['SUCCEEDED', 'FAILED', 'QUARANTINED']),
  written: z.boolean(),
});

/** StoreMetadata's output, the state's `$.stored`: the write, and the events the state machine publishes for it. */
export const storeResultSchema = storeWriteSchema.extend({ events: storedEventsSchema });

export type StoreSuccessInput = z.output<typeof storeSuccessInputSchema>;
export type RecordFailureInput = z.output<typeof recordFailureInputSchema>;
export type StoredResize = z.output<typeof storedResizeSchema>;
export type StoreWrite = z.output<typeof storeWriteSchema>;
export type StoreResult = z.output<typeof storeResultSchema>;
