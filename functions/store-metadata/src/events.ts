import {
  EVENT_LABEL_LIMIT,
  EVENT_OWNER_PATTERN,
  EVENT_SCHEMA_VERSION,
  imageFailedDetailSchema,
  imageFlaggedDetailSchema,
  imageProcessedDetailSchema,
  SECTION_IDS,
  sectionItems,
  type StepDurations,
  type StoredEvents,
} from '@smart-image-pipeline/contracts';
import { labelsOf } from './items';
import type { ImageRef, RecordFailureInput, StoreSuccessInput } from './types';

/** Where a detail that breaks its own schema is reported (a bug here, never the image's fault). */
export interface EventLog {
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/** The owner an event names: the input's, or `unowned` for a run started before owners existed. */
export function eventOwner(ref: ImageRef): string {
  return typeof ref.owner === 'string' && EVENT_OWNER_PATTERN.test(ref.owner) ? ref.owner : 'unowned';
}

const ids = (ref: ImageRef) => ({
  schemaVersion: EVENT_SCHEMA_VERSION,
  imageId: ref.imageId,
  revision: ref.revision,
  owner: eventOwner(ref),
  receivedAt: ref.receivedAt,
  ...(ref.resolvedVersion?.name ? { pipelineVersion: ref.resolvedVersion.name } : {}),
});

const byConfidence = <T extends { confidence: number }>(items: T[]): T[] => [...items].sort((a, b) => b.confidence - a.confidence);

/** Keeps a detail only when it matches its schema; a mismatch is logged with every problem and the event dropped. */
function checked<T>(
  schema: { safeParse(value: unknown): { success: boolean; data?: T; error?: { issues: unknown[] } } },
  detail: unknown,
  log: EventLog,
  what: string,
): T | undefined {
  const result = schema.safeParse(detail);
  if (result.success) return result.data;
  log.error('Event detail breaks its schema; not published', { event: what, issues: result.error?.issues });
  return undefined;
}

/**
 * The events a stored run announces: `Image Processed` always, and `Image Flagged` when moderation labels were found.
 * Ids, owner, image facts, the most confident labels and the variant keys; never the object key or its file name.
 */
export function processedEvents(input: StoreSuccessInput, log: EventLog, stepDurations?: StepDurations): StoredEvents {
  const video = input.video?.facts;
  // A video has no image facts: its container, frame size and bytes stand in (events and analytics read one shape).
  const image = (
    video ? { format: video.container, width: video.width, height: video.height, bytes: video.bytes } : input.resize.image
  ) as Record<string, unknown>;
  const moderation = sectionItems(input.analysis, SECTION_IDS.moderation);
  const processed = checked(
    imageProcessedDetailSchema,
    {
      ...ids(input),
      status: 'SUCCEEDED',
      image: { format: image.format, width: image.width, height: image.height, bytes: image.bytes },
      ...(video ? { video: { durationSeconds: video.durationSeconds } } : {}),
      bytesOut: input.resize.variants.reduce((sum, variant) => sum + variant.bytes, 0),
      analysed: input.analysis !== null,
      rekognitionCalls: input.analysis?.calls.length ?? 0,
      rekognitionSkipped: Object.keys(input.analysis?.skipped ?? {}).length,
      labels: byConfidence(labelsOf(input.analysis))
        .slice(0, EVENT_LABEL_LIMIT)
        .map(({ name, confidence }) => ({ name: name.slice(0, 100), confidence })),
      moderated: moderation.length > 0,
      faceCount: sectionItems(input.analysis, SECTION_IDS.faces).length,
      ...(stepDurations ? { stepDurations } : {}),
      variants: input.resize.variants.map(({ key, format, width, height }) => ({ key, format, width, height })),
    },
    log,
    'Image Processed',
  );
  const flaggedLabels = byConfidence(
    moderation
      .filter((item) => typeof item.confidence === 'number')
      .map((item) => ({
        name: item.name.slice(0, 100),
        confidence: item.confidence as number,
        parentName: typeof item.attributes?.parentName === 'string' ? item.attributes.parentName.slice(0, 100) : '',
      })),
  ).slice(0, EVENT_LABEL_LIMIT);
  const flagged =
    flaggedLabels.length === 0
      ? undefined
      : checked(imageFlaggedDetailSchema, { ...ids(input), moderationLabels: flaggedLabels }, log, 'Image Flagged');
  return { ...(processed ? { processed } : {}), ...(flagged ? { flagged } : {}) };
}

/**
 * The `Image Failed` event of a recorded failure: ids, owner, the error name (the cause stays on the item) and the
 * durations of the steps that finished before it.
 */
export function failedEvents(input: RecordFailureInput, log: EventLog, stepDurations?: StepDurations): StoredEvents {
  const name = input.error.name.replace(/[^A-Za-z0-9_.]/g, '_').slice(0, 128);
  const failed = checked(
    imageFailedDetailSchema,
    { ...ids(input), status: 'FAILED', error: { name }, ...(stepDurations ? { stepDurations } : {}) },
    log,
    'Image Failed',
  );
  return failed ? { failed } : {};
}
