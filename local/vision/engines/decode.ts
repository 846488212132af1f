import sharp from 'sharp';
import { invalidImageFormat, invalidParameter, RekognitionError } from '../errors';
import type { RatioBox } from '../request';
import type { RgbPixels } from '../mapping/image-properties';

/** Rekognition's pixel limits: at least 80 px and at most 10,000 px a side. */
export const MIN_SIDE = 80;
export const MAX_SIDE = 10000;
/** Models see at most this many pixels on the longest side; results are ratios, so they do not change. */
export const MAX_ANALYSIS_SIDE = 2048;
/**
 * Faces are found on at most this many pixels a side: the detector sees 256 px and the mesh a 192-px crop per face,
 * and tfjs' WASM memory, which never shrinks, peaks about 95 MB lower per worker than at 2048 px (the same 13
 * faces on the group photo, and the same one face on each portrait fixture, at 1024–2048 px).
 */
export const MAX_FACES_SIDE = 1280;
/** CenterNet sees 512 px and the face detector 256 px, so label detection needs no more than this. */
export const MAX_LABELS_SIDE = 1024;
/** The fixed thumbnail size for colour and quality statistics. */
export const THUMBNAIL_SIDE = 160;

/**
 * Reads the header and checks Rekognition's pixel limits before any full decode.
 * @throws RekognitionError InvalidImageFormatException, InvalidParameterException (under 80 px) or ImageTooLargeException
 */
export async function checkDimensions(bytes: Buffer): Promise<{ width: number; height: number }> {
  let metadata: sharp.Metadata;
  try {
    // Header only: sharp's own pixel limit would turn a too-large image into a format error.
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw invalidImageFormat((error as Error).message);
  }
  const { width = 0, height = 0 } = metadata;
  if (width < MIN_SIDE || height < MIN_SIDE)
    throw invalidParameter(`the image is ${width}x${height} pixels; each side needs at least ${MIN_SIDE}`);
  if (width > MAX_SIDE || height > MAX_SIDE) {
    throw new RekognitionError(
      'ImageTooLargeException',
      `Input image dimensions ${width} x ${height} exceed maximum dimension size of ${MAX_SIDE} pixels`,
    );
  }
  return { width, height };
}

/**
 * Decodes to 8-bit RGB, fitting inside `maxSide` pixels (never enlarging, never stretching).
 * @throws RekognitionError InvalidImageFormatException when the bytes do not decode (truncated, corrupt)
 */
export async function decodeRgb(bytes: Buffer, maxSide: number): Promise<RgbPixels> {
  return rgbOf(sharp(bytes).resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true }));
}

/**
 * Decodes to exactly `side`×`side` RGB pixels (stretched), as classifiers such as nsfwjs expect.
 * @throws RekognitionError InvalidImageFormatException when the bytes do not decode
 */
export async function decodeSquare(bytes: Buffer, side: number): Promise<RgbPixels> {
  return rgbOf(sharp(bytes).resize(side, side, { fit: 'fill' }));
}

/** Shrinks already decoded pixels to fit inside `maxSide`, sparing a second decode of the original bytes. */
export async function shrinkRgb(image: RgbPixels, maxSide: number): Promise<RgbPixels> {
  const raw = { width: image.width, height: image.height, channels: 3 as const };
  const input = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return rgbOf(sharp(input, { raw }).resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true }));
}

/** Cuts a box (in ratios) out of decoded pixels and scales it to `side`×`side` for quality statistics. */
export async function cropRgb(image: RgbPixels, box: RatioBox, side: number): Promise<RgbPixels> {
  const left = clamp(Math.floor(box.Left * image.width), 0, image.width - 1);
  const top = clamp(Math.floor(box.Top * image.height), 0, image.height - 1);
  const width = clamp(Math.ceil(box.Width * image.width), 1, image.width - left);
  const height = clamp(Math.ceil(box.Height * image.height), 1, image.height - top);
  const raw = { width: image.width, height: image.height, channels: 3 as const };
  return rgbOf(
    sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), { raw })
      .extract({ left, top, width, height })
      .resize(side, side, { fit: 'fill' }),
  );
}

/** Decoded pixels framed by a grey border, and how to map a box found in them back onto the original. */
export interface PaddedRgb {
  image: RgbPixels;
  toOriginal: (box: RatioBox) => RatioBox;
}

/**
 * Frames pixels with a mid-grey border `ratio` × the longest side wide on every side, so that a subject filling the
 * frame appears at the scale detectors trained on COCO (objects in scenes) expect.
 */
export async function padRgb(image: RgbPixels, ratio: number): Promise<PaddedRgb> {
  const border = Math.round(Math.max(image.width, image.height) * ratio);
  const raw = { width: image.width, height: image.height, channels: 3 as const };
  const padded = await rgbOf(
    sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), { raw }).extend({
      top: border,
      bottom: border,
      left: border,
      right: border,
      background: { r: 114, g: 114, b: 114 },
    }),
  );
  const toOriginal = (box: RatioBox): RatioBox => ({
    Left: (box.Left * padded.width - border) / image.width,
    Top: (box.Top * padded.height - border) / image.height,
    Width: (box.Width * padded.width) / image.width,
    Height: (box.Height * padded.height) / image.height,
  });
  return { image: padded, toOriginal };
}

async function rgbOf(pipeline: sharp.Sharp): Promise<RgbPixels> {
  try {
    const { data, info } = await pipeline.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  } catch (error) {
    throw invalidImageFormat((error as Error).message);
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
