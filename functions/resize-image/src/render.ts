import sharp from 'sharp';
import { toImageProperties, type ImageProperties } from '@smart-image-pipeline/contracts';
import { toImageError, type Inspection } from './inspect';
import { differenceHash } from './perceptual-hash';
import { fitLongestSide, type Size } from './plan';
import { rgbaToThumbHash } from './thumbhash';

/** Decoded, upright, sRGB 8-bit pixels (3 or 4 channels) that every output is derived from. */
export interface Pixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

export interface Encoded {
  body: Buffer;
  width: number;
  height: number;
}

export interface EncodeOptions {
  /** EXIF to write (KEEP_GPS); undefined strips all metadata. */
  exif?: Record<string, Record<string, string>>;
  /** Embed an sRGB ICC profile (~0.5 KB): set when the source was colour-managed (had a profile, or CMYK). */
  tagSrgb?: boolean;
}

const WEBP_OPTIONS: sharp.WebpOptions = { quality: 80, effort: 4 };
const JPEG_OPTIONS: sharp.JpegOptions = { quality: 82, chromaSubsampling: '4:2:0' };
const WHITE = { r: 255, g: 255, b: 255 };

const fromPixels = (pixels: Pixels): sharp.Sharp =>
  sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels } });

/**
 * Decodes the source once: first page/frame only, EXIF-oriented, converted to sRGB through its embedded
 * ICC profile (CMYK through sharp's built-in CMYK profile when it has none), and shrunk on load to `side`.
 * @throws CorruptImageError / ImageTooLargeError when libvips refuses the pixel data.
 */
export async function decodeUpright(body: Buffer, inspection: Inspection, side: number): Promise<Pixels> {
  const target = fitLongestSide(inspection.facts, side);
  let pipeline = sharp(body, inspection.inputOptions).autoOrient();
  if (target.width !== inspection.facts.width || target.height !== inspection.facts.height) {
    pipeline = pipeline.resize(target.width, target.height, { fit: 'fill' });
  }
  try {
    const { data, info } = await pipeline.toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels === 4 ? 4 : 3 };
  } catch (error) {
    throw toImageError(error);
  }
}

/** Resizes decoded pixels to the given size (Lanczos3, sRGB 8-bit). */
export async function resizePixels(pixels: Pixels, size: Size): Promise<Pixels> {
  if (size.width === pixels.width && size.height === pixels.height) return pixels;
  const { data, info } = await fromPixels(pixels)
    .resize(size.width, size.height, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: pixels.channels };
}

/**
 * Writes only the metadata asked for; sharp strips everything else (EXIF, GPS, XMP, IPTC). The pixels are
 * already sRGB, so an untagged source stays untagged (browsers assume sRGB) and skips the extra ICC pass.
 */
function withMetadata(pipeline: sharp.Sharp, options: EncodeOptions): sharp.Sharp {
  const tagged = options.tagSrgb ? pipeline.withIccProfile('srgb') : pipeline;
  return options.exif ? tagged.withExif(options.exif) : tagged;
}

/** Encodes pixels as WebP, keeping alpha. */
export async function encodeWebp(pixels: Pixels, options: EncodeOptions = {}): Promise<Encoded> {
  const body = await withMetadata(fromPixels(pixels).webp(WEBP_OPTIONS), options).toBuffer();
  return { body, width: pixels.width, height: pixels.height };
}

/** Encodes pixels as a baseline JPEG, flattening any alpha onto white. */
export async function encodeJpeg(pixels: Pixels, options: EncodeOptions = {}, quality = JPEG_OPTIONS.quality): Promise<Encoded> {
  let pipeline = fromPixels(pixels);
  if (pixels.channels === 4) pipeline = pipeline.flatten({ background: WHITE });
  const body = await withMetadata(pipeline.jpeg({ ...JPEG_OPTIONS, quality }), options).toBuffer();
  return { body, width: pixels.width, height: pixels.height };
}

/** ThumbHash of the image (rendered at most 100x100 RGBA), base64. */
export async function thumbHash(pixels: Pixels): Promise<string> {
  const size = fitLongestSide(pixels, 100);
  const { data, info } = await fromPixels(pixels)
    .resize(size.width, size.height, { fit: 'fill' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return Buffer.from(rgbaToThumbHash(info.width, info.height, data)).toString('base64');
}

/** 64-bit dHash (see perceptual-hash.ts) of the image flattened on white. */
export async function perceptualHash(pixels: Pixels): Promise<string> {
  let pipeline = fromPixels(pixels);
  if (pixels.channels === 4) pipeline = pipeline.flatten({ background: WHITE });
  const data = await pipeline.greyscale().resize(9, 8, { fit: 'fill' }).extractChannel(0).raw().toBuffer();
  return differenceHash(data);
}

/** Longest side of the thumbnail the colours and quality are measured on (the sharpness scale is calibrated at 160 px). */
export const PROPERTIES_THUMBNAIL_SIDE = 160;
/** As many colours as DetectLabels' IMAGE_PROPERTIES returns by default. */
export const MAX_DOMINANT_COLORS = 10;

/**
 * Dominant colours and quality (brightness, sharpness, contrast) of the image flattened on white, measured on a
 * 160 px thumbnail: the free stand-in for DetectLabels' IMAGE_PROPERTIES, in its shape.
 */
export async function imageProperties(pixels: Pixels): Promise<ImageProperties> {
  const size = fitLongestSide(pixels, PROPERTIES_THUMBNAIL_SIDE);
  let pipeline = fromPixels(pixels);
  if (pixels.channels === 4) pipeline = pipeline.flatten({ background: WHITE });
  const { data, info } = await pipeline
    .resize(size.width, size.height, { fit: 'fill' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return toImageProperties({ data, width: info.width, height: info.height }, MAX_DOMINANT_COLORS);
}
