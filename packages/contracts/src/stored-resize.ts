import { resizeOutputSchema, type ResizeOutput } from './schemas/resize';

/**
 * Longest sides of the variants, largest first. Sizes above the original are skipped (never upscaled);
 * when the original is smaller than the largest configured size, one variant at the original size is added.
 */
export function planVariantSides(size: { width: number; height: number }, widths: readonly number[]): number[] {
  const longest = Math.max(size.width, size.height);
  const sides = new Set(widths.filter((w) => w <= longest));
  if (widths.some((w) => w > longest)) sides.add(longest);
  return [...sides].sort((a, b) => b - a);
}

/**
 * The stored resize result a reprocess run brought, when ResizeImage may return it instead of resizing: a whole image
 * result (never a video's) whose variants are exactly the WebP and JPEG pair of every side these widths plan for the
 * image. Anything else (absent, an older partial item, other variants) is null, and the image is resized again.
 */
export function reusableResize(candidate: unknown, variantWidths: readonly number[]): ResizeOutput | null {
  const parsed = resizeOutputSchema.safeParse(candidate);
  if (!parsed.success) return null;
  const resize = parsed.data;
  const wanted = planVariantSides(resize.image, variantWidths).flatMap((side) => [`${side}/webp`, `${side}/jpeg`]);
  const stored = resize.variants.map((variant) => `${Math.max(variant.width, variant.height)}/${variant.format}`);
  const same = wanted.length === stored.length && [...wanted].sort().join() === [...stored].sort().join();
  return same ? resize : null;
}
