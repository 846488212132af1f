// A namespace import lets esbuild drop what is unused (zod's locales alone are ~350 KB minified).
import * as z from 'zod';
import { PIPELINE_VERSION_PATTERN } from '../ids';
import { SECTION_ID_PATTERN, SECTION_IDS } from '../sections';
import { finiteNumber, nonEmptyString, objectOf } from '../validation';
import { bucketSchema, executionArnSchema, imageIdSchema, keySchema, revisionSchema, sourceOrderSchema, versionIdSchema } from './common';
import { imagePropertiesSchema } from './resize';
import { quarantineSchema } from './moderation';

/**
 * AnalyseImage's input: the ids, ResizeImage's `analysisImage` and its sharp-computed `imageProperties` (summarised
 * unless the config asks Rekognition for them; docs/contracts.md "AnalyseImage").
 */
export const analyseImageInputSchema = objectOf({
  imageId: imageIdSchema,
  revision: revisionSchema,
  image: objectOf({
    bucket: bucketSchema,
    key: keySchema,
    versionId: versionIdSchema,
    width: z.number().optional(),
    height: z.number().optional(),
    bytes: z.number().optional(),
  }),
  imageProperties: imagePropertiesSchema.optional(),
  /** ResizeImage's dHash: finds an already analysed near-duplicate whose analysis can be reused. */
  perceptualHash: z
    .string()
    .regex(/^[0-9a-f]{16}$/)
    .optional(),
  /**
   * The upload's place among the key's events (`$.source.sourceOrder`): face grouping compares it with the image item
   * to tell whether the image was deleted or replaced while its faces were indexed (absent: only a DELETED item counts).
   */
  sourceOrder: sourceOrderSchema.optional(),
  /** The uploader (issue 11); an analysis is only ever reused from an image of the same owner (absent = none). */
  owner: z.string().min(1).optional(),
  /** The pipeline version whose analysis settings apply (absent = the config's current one). */
  pipelineVersion: z.string().regex(PIPELINE_VERSION_PATTERN, { error: 'must be a version name such as v2' }).optional(),
  /**
   * ResolveVersion's `storedAnalysis`: a reprocess run's reference to this image's stored analysis, made with the same
   * analysis settings; AnalyseImage re-reads the item and returns that analysis instead of calling Rekognition. Null or
   * absent on every other run.
   */
  storedAnalysis: z
    .object({ pipelineVersion: z.string().regex(PIPELINE_VERSION_PATTERN), fingerprint: z.string().regex(/^[0-9a-f]{64}$/) })
    .nullable()
    .optional(),
  executionArn: executionArnSchema,
});

/** A box in fractions of the image's width and height (Rekognition's BoundingBox), with its own confidence when it has one. */
export const boxSchema = z.object({
  left: finiteNumber(),
  top: finiteNumber(),
  width: finiteNumber(),
  height: finiteNumber(),
  confidence: finiteNumber().optional(),
});

/** Extra facts about an item, shown as they are: scalars, or a short list of names (a label's parents). */
export const attributeValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

/**
 * One finding of a detector: a name, its confidence (0-100) when it has one, where it is when the detector
 * says, and any other attributes. Every detector's findings take this shape, so a reader (StoreMetadata, the
 * console) can keep and show a detector it has never heard of.
 */
export const sectionItemSchema = z.object({
  name: nonEmptyString(),
  confidence: finiteNumber('must be a number or null').nullable().optional(),
  boxes: z.array(boxSchema).optional(),
  attributes: z.record(z.string(), attributeValueSchema).optional(),
  /** When a video shows it: time ranges in seconds from the start (video analysis only). */
  segments: z.array(z.object({ start: finiteNumber(), end: finiteNumber(), confidence: finiteNumber().optional() })).optional(),
});

/** Whole-image facts of a section (e.g. quality: brightness, sharpness, contrast). */
export const factValueSchema = z.union([z.number(), z.string(), z.boolean(), z.null()]);

/** What one detector found, under a title people read. */
export const analysisSectionSchema = z.object({
  title: nonEmptyString(),
  /** The Rekognition call that produced it. */
  detector: nonEmptyString(),
  items: z.array(sectionItemSchema, { error: 'must be an array' }),
  facts: z.record(z.string(), factValueSchema).optional(),
});

/**
 * AnalyseImage's output (the state's `$.analysis.summary`): the sections by id, the calls that ran, why optional
 * calls were skipped, and where each raw response is. Label items need a confidence: they become search keys.
 */
export const analysisSummarySchema = z
  .object({
    sections: z.record(z.string().regex(SECTION_ID_PATTERN, { error: 'is not a section id' }), analysisSectionSchema),
    calls: z.array(z.string()),
    skipped: z.record(z.string(), z.string()),
    rawKeys: z.record(z.string(), z.string()),
    /** `analysisSettingsKey` of the config the analysis ran with (absent on analyses older than reuse). */
    settings: z.string().optional(),
    /** `analysisFingerprint` of the config the analysis ran with: a reprocess reuses the analysis when the target's is equal. */
    settingsFingerprint: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    /** Set when a reprocess reused this image's stored analysis (no Rekognition call): the version whose run made it. */
    reusedFromVersion: z.string().regex(PIPELINE_VERSION_PATTERN).optional(),
    /** Set when no Rekognition call ran: the sections were copied from this near-duplicate's analysis. */
    reusedFrom: z.object({ imageId: imageIdSchema, revision: revisionSchema, distance: z.number().int().min(0).max(64) }).optional(),
    /** Set when moderation labels reach quarantineMinConfidence: the image waits for a review (moderation.ts). */
    quarantine: quarantineSchema.optional(),
    /** The analysis step's own time in ms (lambda-kit's `step` option); the run's facts read it, the item never keeps it. */
    durationMs: z.number().int().min(0).optional(),
  })
  .superRefine((summary, context) => {
    summary.sections[SECTION_IDS.labels]?.items.forEach((item, index) => {
      if (typeof item.confidence !== 'number') {
        context.addIssue({
          code: 'custom',
          path: ['sections', SECTION_IDS.labels, 'items', index, 'confidence'],
          message: 'must be a number: labels are searched by confidence',
        });
      }
    });
  });

export type AnalyseImageInput = z.output<typeof analyseImageInputSchema>;
export type Box = z.output<typeof boxSchema>;
export type AttributeValue = z.output<typeof attributeValueSchema>;
export type SectionItem = z.output<typeof sectionItemSchema>;
export type AnalysisSection = z.output<typeof analysisSectionSchema>;
export type AnalysisSummary = z.output<typeof analysisSummarySchema>;

/** The items of one section, or none when the detector did not run. */
export function sectionItems(summary: Pick<AnalysisSummary, 'sections'> | null | undefined, id: string): SectionItem[] {
  return summary?.sections[id]?.items ?? [];
}

/** A string-list attribute of an item (e.g. a label's `parents`); empty when absent or of another type. */
export function stringListAttribute(item: SectionItem, name: string): string[] {
  const value = item.attributes?.[name];
  return Array.isArray(value) ? value : [];
}
