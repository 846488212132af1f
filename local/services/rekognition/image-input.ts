import { sniffImageType } from '@smart-image-pipeline/contracts';
import { invalidImageFormat, RekognitionError } from '../../vision/errors';
import type { ImageSource } from './request';

/** Rekognition's byte limits: 5 MB inline, 15 MB from S3. */
export const MAX_INLINE_BYTES = 5 * 1024 * 1024;
export const MAX_S3_BYTES = 15 * 1024 * 1024;

/** Reads an object from the local S3 store. */
export type ReadS3Object = (bucket: string, key: string, versionId?: string) => Promise<Buffer>;

/** The two formats Rekognition takes, recognised by their magic bytes, never by name. */
export type ImageFormat = 'jpeg' | 'png';

/**
 * Fetches the image bytes and applies Rekognition's size and format rules before any decoding.
 * @throws RekognitionError InvalidS3ObjectException, ImageTooLargeException or InvalidImageFormatException
 */
export async function loadImageBytes(source: ImageSource, readS3Object?: ReadS3Object): Promise<{ bytes: Buffer; format: ImageFormat }> {
  let bytes: Buffer;
  if (source.kind === 'bytes') {
    bytes = source.bytes;
    if (bytes.length > MAX_INLINE_BYTES)
      throw new RekognitionError(
        'ImageTooLargeException',
        `Image size is too large: ${bytes.length} bytes exceed the 5 MB limit for Image.Bytes`,
      );
  } else {
    if (!readS3Object)
      throw new RekognitionError(
        'InvalidS3ObjectException',
        'Unable to get object metadata from S3: this vision service has no S3 store attached',
      );
    try {
      bytes = await readS3Object(source.bucket, source.key, source.versionId);
    } catch (error) {
      throw new RekognitionError(
        'InvalidS3ObjectException',
        `Unable to get object metadata from S3. Check object key, region and/or access permissions. (${(error as Error).message})`,
      );
    }
    if (bytes.length > MAX_S3_BYTES)
      throw new RekognitionError(
        'ImageTooLargeException',
        `Image size is too large: ${bytes.length} bytes exceed the 15 MB limit for S3 objects`,
      );
  }
  const format = sniffFormat(bytes);
  if (!format) throw invalidImageFormat('only JPEG and PNG are supported');
  return { bytes, format };
}

/** JPEG or PNG by the contracts' magic-byte sniffer; any other type (even one the pipeline accepts) is undefined. */
export function sniffFormat(bytes: Buffer): ImageFormat | undefined {
  const format = sniffImageType(bytes)?.format;
  return format === 'jpeg' || format === 'png' ? format : undefined;
}
