// A namespace import lets esbuild drop what is unused (zod's locales alone are ~350 KB minified).
import * as z from 'zod';
import { objectOf } from '../validation';
import { bucketSchema, executionArnSchema, imageIdSchema, keySchema, revisionSchema, sourceOrderSchema, versionIdSchema } from './common';

const count = z.number().int().nonnegative();
const side = z.number().int().positive();

/** Image families ResizeImage accepts (`heif` is AVIF; sharp's libheif decodes no HEVC). */
export const imageFormatSchema = z.enum(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif', 'svg']);

/** What the header says about the source, after EXIF orientation. */
export const imageFactsSchema = z.object({
  format: imageFormatSchema,
  width: side,
  height: side,
  bytes: count,
  pages: side,
  animated: z.boolean(),
  hasAlpha: z.boolean(),
  space: z.string(),
  bitsPerSample: side,
});

export const exifSummarySchema = z.object({
  make: z.string().nullable(),
  model: z.string().nullable(),
  takenAt: z.string().nullable(),
  hasGps: z.boolean(),
  orientation: z.number().int().nullable(),
});

export const variantSchema = z.object({
  key: z.string(),
  format: z.enum(['webp', 'jpeg']),
  width: side,
  height: side,
  bytes: count,
});

/** Where the Rekognition-ready image lives: the original, or analysis.jpg in the processed bucket. */
export const analysisImageSchema = z.object({
  bucket: z.string(),
  key: z.string(),
  versionId: z.string().nullable(),
  width: side,
  height: side,
  bytes: count,
});

const percent = z.number().min(0).max(100);
const channel = z.number().int().min(0).max(255);

/**
 * Dominant colours and quality that ResizeImage computes from its thumbnail with sharp, in the shape of DetectLabels'
 * ImageProperties (so AnalyseImage summarises either the same way).
 */
export const imagePropertiesSchema = z.object({
  Quality: z.object({ Brightness: percent, Sharpness: percent, Contrast: percent }),
  DominantColors: z
    .array(
      z.object({
        Red: channel,
        Green: channel,
        Blue: channel,
        HexCode: z.string(),
        CSSColor: z.string(),
        SimplifiedColor: z.string(),
        PixelPercent: percent,
      }),
    )
    .max(10),
});

/** ResizeImage's output, the state's `$.resize` (docs/contracts.md "ResizeImage"). */
export const resizeOutputSchema = z.object({
  /** `image` here; a video gets the empty result of schemas/video.ts instead, and the state machine routes on this. */
  mediaType: z.literal('image'),
  analysable: z.boolean(),
  image: imageFactsSchema,
  exif: exifSummarySchema,
  placeholder: z.object({ kind: z.literal('thumbhash'), value: z.string() }),
  perceptualHash: z.string().regex(/^[0-9a-f]{16}$/),
  imageProperties: imagePropertiesSchema,
  variants: z.array(variantSchema),
  analysisImage: analysisImageSchema,
});

/**
 * ResizeImage's input: the state machine input plus `executionArn`. Only the ids, the object pointer and its
 * sourceOrder (written on every output, for the clean-up) are used, so only they are required.
 */
export const resizeInputSchema = objectOf({
  imageId: imageIdSchema,
  revision: revisionSchema,
  source: objectOf({ bucket: bucketSchema, key: keySchema, versionId: versionIdSchema, sourceOrder: sourceOrderSchema }),
  receivedAt: z.string().optional(),
  /** The pipeline version's variant widths (ResolveVersion's); absent = the function's VARIANT_WIDTHS. */
  variantWidths: z
    .array(z.number().int().min(1).max(16383), { error: 'must be a list of widths from 1 to 16383' })
    .min(1)
    .max(10)
    .optional(),
  executionArn: executionArnSchema,
  /**
   * A stored resize result that ResolveVersion found to match these widths (reprocessing, `$.resolvedVersion.storedResize`):
   * returned as the result at once, without reading the source. Null or absent = resize.
   */
  storedResize: resizeOutputSchema.nullable().optional(),
});

export type ResizeInput = z.output<typeof resizeInputSchema>;
export type ImageFormat = z.output<typeof imageFormatSchema>;
export type ImageFacts = z.output<typeof imageFactsSchema>;
export type ExifSummary = z.output<typeof exifSummarySchema>;
export type Variant = z.output<typeof variantSchema>;
export type AnalysisImage = z.output<typeof analysisImageSchema>;
export type ImagePropertiesOutput = z.output<typeof imagePropertiesSchema>;
export type ResizeOutput = z.output<typeof resizeOutputSchema>;
