import { sniffImageType } from '@smart-image-pipeline/contracts';
import sharp from 'sharp';
import { CorruptImageError, ImageTooLargeError, UnsupportedImageTypeError } from './errors';
import { assertSelfContainedSvg } from './svg-guard';
import type { ImageFacts, ImageFormat } from './types';

/** What the header says, read without decoding any pixels. */
export interface Inspection {
  facts: ImageFacts;
  /** Size before EXIF orientation, as stored. */
  storedWidth: number;
  storedHeight: number;
  orientation: number | undefined;
  /** The source embeds an ICC profile (its pixels are converted from it to sRGB). */
  hasProfile: boolean;
  /** Options every later sharp call on these bytes must use. */
  inputOptions: sharp.SharpOptions;
}

export interface InspectLimits {
  maxInputPixels: number;
  allowSvg: boolean;
}

const BITS_BY_DEPTH: Record<string, number> = { uchar: 8, char: 8, ushort: 16, short: 16, uint: 32, int: 32, float: 32, double: 64 };

/**
 * Maps a sharp/libvips failure on the input to a named error; unexpected failures on an image whose
 * magic number we recognised count as corrupt data.
 */
export function toImageError(error: unknown): Error {
  if (error instanceof UnsupportedImageTypeError || error instanceof ImageTooLargeError || error instanceof CorruptImageError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return new ImageTooLargeError(message);
  if (/unsupported image format|bad seek|no decoder|not a known (file )?format/i.test(message))
    return new UnsupportedImageTypeError(message);
  return new CorruptImageError(message.split('\n')[0] || 'image cannot be decoded');
}

/**
 * Identifies the image from its bytes and checks the limits from its header before any pixel is decoded.
 * @throws CorruptImageError for empty or unreadable headers; UnsupportedImageTypeError for other types,
 *   HEIF that is not AV1, and SVG when not allowed or not self-contained; ImageTooLargeError over the pixel limit.
 */
export async function inspectImage(body: Buffer, limits: InspectLimits): Promise<Inspection> {
  if (body.length === 0) throw new CorruptImageError('The object is empty');
  const format = sniffImageType(body)?.format;
  if (!format) throw new UnsupportedImageTypeError('The bytes are not a supported image type (JPEG, PNG, WebP, AVIF, GIF, TIFF)');
  if (format === 'svg') {
    if (!limits.allowSvg) throw new UnsupportedImageTypeError('SVG uploads are not allowed (ALLOW_SVG=false)');
    assertSelfContainedSvg(body);
  }

  // Truncated or corrupt pixel data fails the image instead of yielding a partly grey picture. For JPEG
  // that takes failOn 'warning': libjpeg only *warns* when entropy data ends early ("premature end of data
  // segment") and libvips already ignores the harmless extraneous-bytes warning. Other formats use 'error',
  // because libtiff and friends warn about harmless things (unknown tags) all the time.
  // limitInputPixels repeats our own header check as a second guard inside libvips.
  const inputOptions: sharp.SharpOptions = {
    failOn: format === 'jpeg' ? 'warning' : 'error',
    limitInputPixels: limits.maxInputPixels,
    sequentialRead: true,
    animated: false,
  };
  let metadata: sharp.Metadata;
  try {
    // Reading the header never decodes pixels, so our own check below gives the clearer message.
    metadata = await sharp(body, { ...inputOptions, limitInputPixels: false }).metadata();
  } catch (error) {
    throw toImageError(error);
  }
  const detected = metadata.format as string;
  if (detected !== format) {
    throw new CorruptImageError(`The bytes start like ${format} but decode as ${detected ?? 'nothing'}`);
  }
  if (format === 'heif' && metadata.compression !== 'av1') {
    throw new UnsupportedImageTypeError(`HEIF with ${metadata.compression ?? 'unknown'} compression cannot be decoded (AVIF only)`);
  }

  const storedWidth = metadata.width ?? 0;
  const storedHeight = metadata.pageHeight ?? metadata.height ?? 0;
  if (storedWidth < 1 || storedHeight < 1) throw new CorruptImageError('The header gives no image size');
  if (storedWidth * storedHeight > limits.maxInputPixels) {
    throw new ImageTooLargeError(`${storedWidth}x${storedHeight} exceeds the limit of ${limits.maxInputPixels} pixels`);
  }

  const orientation = metadata.orientation;
  const swapped = orientation !== undefined && orientation >= 5 && orientation <= 8;
  const pages = metadata.pages ?? 1;
  const facts: ImageFacts = {
    format: format as ImageFormat,
    width: swapped ? storedHeight : storedWidth,
    height: swapped ? storedWidth : storedHeight,
    bytes: body.length,
    pages,
    animated: pages > 1 && (format === 'gif' || format === 'webp'),
    hasAlpha: metadata.hasAlpha ?? false,
    space: metadata.space ?? 'srgb',
    bitsPerSample: metadata.bitsPerSample ?? BITS_BY_DEPTH[metadata.depth ?? 'uchar'] ?? 8,
  };
  return { facts, storedWidth, storedHeight, orientation, hasProfile: metadata.hasProfile ?? false, inputOptions };
}
