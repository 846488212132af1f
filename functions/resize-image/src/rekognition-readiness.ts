import { ANALYSIS_MAX_SIDE } from './plan';

/** Rekognition reads JPEG/PNG objects up to 15 MB from S3 (https://docs.aws.amazon.com/rekognition/latest/dg/limits.html). */
export const REKOGNITION_MAX_OBJECT_BYTES = 15 * 1024 * 1024;

export interface ReadinessFacts {
  format: string;
  width: number;
  height: number;
  bytes: number;
  space: string;
  bitsPerSample: number;
  hasAlpha: boolean;
  orientation: number | undefined;
}

/**
 * Says why the original cannot go to Rekognition as it is, or null when it can (JPEG/PNG, 8-bit RGB or
 * grey, no alpha, <= 15 MB, <= 4096 px, not EXIF-rotated). Alpha PNGs get a copy flattened on white,
 * because Rekognition ignores transparency and would see whatever colour hides under transparent pixels.
 */
export function analysisCopyReason(facts: ReadinessFacts): string | null {
  if (facts.format !== 'jpeg' && facts.format !== 'png') return `format ${facts.format}`;
  if (facts.space !== 'srgb' && facts.space !== 'b-w') return `colour space ${facts.space}`;
  if (facts.bitsPerSample !== 8) return `${facts.bitsPerSample}-bit samples`;
  if (facts.hasAlpha) return 'alpha channel';
  if (facts.orientation !== undefined && facts.orientation > 1) return `EXIF orientation ${facts.orientation}`;
  if (Math.max(facts.width, facts.height) > ANALYSIS_MAX_SIDE) return 'longer than 4096 px';
  if (facts.bytes > REKOGNITION_MAX_OBJECT_BYTES) return 'larger than 15 MB';
  return null;
}
