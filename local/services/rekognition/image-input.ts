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
    if (bytes.length > MAX_INLINE_BYTES) throw new RekognitionError('ImageTooLargeException', `Image size is too large: ${bytes.length} bytes exceed the 5 MB limit for Image.Bytes`);
  } else {
    if (!readS3Object) throw new RekognitionError('InvalidS3ObjectException', 'Unable to get object metadata from S3: this vision service has no S3 store attached');
    try {
      bytes = await readS3Object(source.bucket, source.key, source.versionId);
    } catch (error) {
      throw new RekognitionError('InvalidS3ObjectException', `Unable to get object metadata from S3. Check object key, region and/or access permissions. (${(error as Error).message})`);
    }
    if (bytes.length > MAX_S3_BYTES) throw new RekognitionError('ImageTooLargeException', `Image size is too large: ${bytes.length} bytes exceed the 15 MB limit for S3 objects`);
  }
  const format = sniffFormat(bytes);
  if (!format) throw invalidImageFormat('only JPEG and PNG are supported');
  return { bytes, format };
}

/** Recognises JPEG and PNG by their signatures; anything else is undefined. */
export function sniffFormat(bytes: Buffer): ImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((byte, index) => bytes[index] === byte)) return 'png';
  return undefined;
}
