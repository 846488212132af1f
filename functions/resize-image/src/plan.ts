/** Pure size and key arithmetic for the variants and the analysis image; no I/O. */

/**
 * Longest side Rekognition is given (contract: <= 4096 px). The project's bound, not Rekognition's: DetectLabels and
 * DetectModerationLabels accept up to 10,000 px and 4096 px is DetectProtectiveEquipment's limit
 * (https://docs.aws.amazon.com/rekognition/latest/dg/limits.html); it keeps the analysis copy small and quick to make.
 */
export const ANALYSIS_MAX_SIDE = 4096;
/** Rekognition refuses images whose sides are under 80 px (same page: "minimum image dimensions is 80 pixels"). */
export const REKOGNITION_MIN_SIDE = 80;

export interface Size {
  width: number;
  height: number;
}

/** Scales a size so that its longest side is `side`, keeping the aspect ratio (each side at least 1 px). */
export function fitLongestSide(size: Size, side: number): Size {
  const longest = Math.max(size.width, size.height);
  if (side >= longest) return { width: size.width, height: size.height };
  const scale = side / longest;
  return size.width >= size.height
    ? { width: side, height: Math.max(1, Math.round(size.height * scale)) }
    : { width: Math.max(1, Math.round(size.width * scale)), height: side };
}

// Shared with ResolveVersion, which checks a stored resize result against the same plan.
export { planVariantSides } from '@smart-image-pipeline/contracts';

/**
 * The longest side to decode once, from which every output is derived: the largest variant, or, when an
 * analysis copy is needed, up to 4096 px. For JPEG it picks the size that libjpeg's shrink-on-load
 * (1/2, 1/4, 1/8) reaches cheaply, since decoding at full size is the slowest step of all.
 */
export function planBaseSide(size: Size, variantSides: readonly number[], needsAnalysisCopy: boolean, jpeg: boolean): number {
  const longest = Math.max(size.width, size.height);
  const largestVariant = Math.max(1, ...variantSides);
  if (!needsAnalysisCopy) return Math.min(longest, largestVariant);
  if (longest <= ANALYSIS_MAX_SIDE) return longest;
  if (!jpeg) return ANALYSIS_MAX_SIDE;
  for (const factor of [2, 4, 8]) {
    const shrunk = Math.floor(longest / factor);
    if (shrunk <= ANALYSIS_MAX_SIDE) return Math.max(shrunk, Math.min(largestVariant, ANALYSIS_MAX_SIDE));
  }
  return ANALYSIS_MAX_SIDE;
}

/** Bytes a viewer saves by loading the largest WebP variant instead of the upload (0 when the variant is larger). */
export function bytesSaved(output: {
  image: { bytes: number };
  variants: ReadonlyArray<{ format: string; width: number; bytes: number }>;
}): number {
  const largest = [...output.variants].filter((variant) => variant.format === 'webp').sort((a, b) => b.width - a.width)[0];
  return largest === undefined ? 0 : Math.max(0, output.image.bytes - largest.bytes);
}
