import exifr from 'exifr';
import type { ExifSummary } from './types';

/** Raw EXIF tags as exifr gives them with revival and translation off (stable across time zones). */
export type ExifTags = Record<string, unknown>;

const EXIF_OPTIONS = {
  tiff: true,
  ifd0: {},
  exif: true,
  gps: true,
  ifd1: false,
  interop: false,
  xmp: false,
  icc: false,
  iptc: false,
  jfif: false,
  ihdr: false,
  makerNote: false,
  userComment: false,
  reviveValues: false,
  translateValues: false,
  translateKeys: true,
  mergeOutput: true,
} as const;

const text = (value: unknown): string | null => {
  if (typeof value !== 'string') return null;
  const trimmed = value.replace(/\0/g, '').trim();
  return trimmed.length > 0 ? trimmed.slice(0, 128) : null;
};

/** EXIF "YYYY:MM:DD HH:MM:SS" plus an optional "+HH:MM" offset; without an offset the time is taken as UTC. */
function toIsoTime(value: unknown, offset: unknown): string | null {
  const raw = text(value);
  const match = raw?.match(/^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/);
  if (!match) return null;
  const zone = typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset.trim()) ? offset.trim() : 'Z';
  const date = new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}${zone}`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Reads EXIF tags from an image; broken or missing EXIF gives an empty object, never an error. */
export async function readExifTags(image: Buffer): Promise<ExifTags> {
  try {
    const tags: unknown = await exifr.parse(image, EXIF_OPTIONS);
    return tags && typeof tags === 'object' ? (tags as ExifTags) : {};
  } catch {
    return {};
  }
}

/** Summarises EXIF tags; `orientation` prefers the decoder's reading, which also covers HEIF and PNG. */
export function summariseExif(tags: ExifTags, decoderOrientation: number | undefined): ExifSummary {
  const tagOrientation = typeof tags.Orientation === 'number' ? tags.Orientation : undefined;
  const orientation = decoderOrientation ?? tagOrientation;
  return {
    make: text(tags.Make),
    model: text(tags.Model),
    takenAt: toIsoTime(tags.DateTimeOriginal ?? tags.CreateDate ?? tags.DateTime, tags.OffsetTimeOriginal ?? tags.OffsetTime),
    hasGps: tags.GPSLatitude !== undefined || tags.GPSLongitude !== undefined,
    orientation: orientation !== undefined && orientation >= 1 && orientation <= 8 ? orientation : null,
  };
}

const rational = (n: number): string => {
  if (!Number.isFinite(n) || n < 0) return '0/1';
  return `${Math.round(n * 10_000)}/10000`;
};

const rationals = (value: unknown): string | undefined => {
  if (typeof value === 'number') return rational(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) return value.map(rational).join(' ');
  return undefined;
};

/**
 * Builds the EXIF written into variants when KEEP_GPS is on: camera, capture time and GPS position.
 * Orientation is left out on purpose, because the variants' pixels are already upright.
 */
export function exifForVariants(tags: ExifTags): Record<string, Record<string, string>> {
  const ifd0: Record<string, string> = {};
  const exifIfd: Record<string, string> = {};
  const gps: Record<string, string> = {};
  for (const name of ['Make', 'Model', 'Software', 'Artist', 'Copyright', 'DateTime'] as const) {
    const value = text(tags[name]);
    if (value) ifd0[name] = value;
  }
  for (const name of ['DateTimeOriginal', 'OffsetTimeOriginal'] as const) {
    const value = text(tags[name]);
    if (value) exifIfd[name] = value;
  }
  for (const name of ['GPSLatitudeRef', 'GPSLongitudeRef'] as const) {
    const value = text(tags[name]);
    if (value) gps[name] = value;
  }
  for (const name of ['GPSLatitude', 'GPSLongitude', 'GPSAltitude'] as const) {
    const value = rationals(tags[name]);
    if (value) gps[name] = value;
  }
  const result: Record<string, Record<string, string>> = {};
  if (Object.keys(ifd0).length) result.IFD0 = ifd0;
  if (Object.keys(exifIfd).length) result.IFD2 = exifIfd;
  if (Object.keys(gps).length) result.IFD3 = gps;
  return result;
}
