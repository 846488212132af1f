import { encodeJpeg, resizePixels, type Encoded, type Pixels } from './render';
import { ANALYSIS_MAX_SIDE, fitLongestSide } from './plan';

/** Rekognition's limit for image bytes (the copy also stays usable when sent inline). */
export const ANALYSIS_MAX_BYTES = 5 * 1024 * 1024;
const QUALITY_STEPS = [90, 80, 70, 60, 50, 40];

/**
 * Encodes the Rekognition-ready JPEG: 8-bit sRGB, no metadata, at most 4096 px and 5 MB. Quality steps
 * down first; if even the lowest quality is too big, the image shrinks by a quarter and tries again.
 * `maxBytes` exists for tests; production uses Rekognition's 5 MB.
 */
export async function encodeAnalysisJpeg(pixels: Pixels, maxBytes = ANALYSIS_MAX_BYTES): Promise<Encoded> {
  let current = await resizePixels(pixels, fitLongestSide(pixels, ANALYSIS_MAX_SIDE));
  for (;;) {
    for (const quality of QUALITY_STEPS) {
      const encoded = await encodeJpeg(current, {}, quality);
      if (encoded.body.length <= maxBytes) return encoded;
    }
    const longest = Math.max(current.width, current.height);
    current = await resizePixels(current, fitLongestSide(current, Math.floor(longest * 0.75)));
  }
}
