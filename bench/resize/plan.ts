/** What every contender must produce for one input, so they all do the same work. */
export interface OutputPlan {
  /** Longest sides of the variants, largest first; each as WebP (q80, effort 4) and JPEG (q82, 4:2:0). */
  sides: number[];
  /** A Rekognition-ready JPEG (<= 4096 px, q90) is also written: rotated by EXIF or longer than 4096 px. */
  analysisCopy: boolean;
  /** Longest side to decode at: the largest output. */
  decodeSide: number;
}

/** Encoder settings of ResizeImageFunction (functions/resize-image/src/render.ts), applied to every contender. */
export const ENCODE = {
  webpQuality: 80,
  webpEffort: 4,
  jpegQuality: 82,
  analysisQuality: 90,
  analysisMaxSide: 4096,
} as const;

/** Plans the outputs for an image of this stored size and EXIF orientation, with the configured variant widths. */
export function planOutputs(size: { width: number; height: number; orientation: number }, variantWidths: readonly number[]): OutputPlan {
  const longest = Math.max(size.width, size.height);
  const sides = [...new Set(variantWidths.map((w) => Math.min(w, longest)))].sort((a, b) => b - a);
  const analysisCopy = size.orientation > 1 || longest > ENCODE.analysisMaxSide;
  const decodeSide = analysisCopy ? Math.min(longest, ENCODE.analysisMaxSide) : sides[0];
  return { sides, analysisCopy, decodeSide: Math.max(decodeSide, sides[0]) };
}

/** Number of files a contender writes for a plan. */
export const outputCount = (plan: OutputPlan): number => plan.sides.length * 2 + (plan.analysisCopy ? 1 : 0);
