import type { BoundingBox } from '@aws-sdk/client-rekognition';
import type { Box } from '@smart-image-pipeline/contracts';

/**
 * Caps that keep the summary a few tens of KB whatever Rekognition returns, far under the
 * 256 KB state limit that it shares with the resize result. The raw JSON in S3 keeps everything.
 */
export const SUMMARY_LIMITS = Object.freeze({
  labels: 50,
  parentsPerLabel: 5,
  boxesPerLabel: 5,
  moderation: 30,
  faces: 20,
  textLines: 50,
  textChars: 200,
  dominantColors: 10,
  nameChars: 64,
});

export const round1 = (value: number | undefined): number => Math.round((value ?? 0) * 10) / 10;
export const round4 = (value: number | undefined): number => Math.round((value ?? 0) * 10_000) / 10_000;
/** Cuts by code point, so a surrogate pair is never split. */
export const clip = (text: string | undefined, max: number): string =>
  Array.from(text ?? '')
    .slice(0, max)
    .join('');
export const clipName = (text: string | undefined): string => clip(text, SUMMARY_LIMITS.nameChars);
export const byConfidence = <T extends { Confidence?: number }>(a: T, b: T): number => (b.Confidence ?? 0) - (a.Confidence ?? 0);

/** Rekognition's BoundingBox in lower camel case, to 4 decimals. */
export function box(b: BoundingBox | undefined): Box {
  return { left: round4(b?.Left), top: round4(b?.Top), width: round4(b?.Width), height: round4(b?.Height) };
}
