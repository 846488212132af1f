import { loadImageBytes, MAX_INLINE_BYTES, MAX_S3_BYTES, sniffFormat } from '../../image-input';
import type { RekognitionError } from '../../../../vision/errors';

const JPEG_START = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
const PNG_START = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function errorTypeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'no error',
    (error: RekognitionError) => error.code,
  );
}

describe('sniffFormat', () => {
  it('knows JPEG and PNG by their magic bytes and nothing else', () => {
    expect(sniffFormat(JPEG_START)).toBe('jpeg');
    expect(sniffFormat(PNG_START)).toBe('png');
    expect(sniffFormat(Buffer.from('GIF89a'))).toBeUndefined();
    expect(sniffFormat(Buffer.from('RIFF....WEBP'))).toBeUndefined();
    expect(sniffFormat(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('loadImageBytes', () => {
  it('accepts inline bytes up to 5 MB', async () => {
    const bytes = Buffer.concat([JPEG_START, Buffer.alloc(MAX_INLINE_BYTES - JPEG_START.length)]);

    await expect(loadImageBytes({ kind: 'bytes', bytes })).resolves.toMatchObject({ format: 'jpeg' });
  });

  it('refuses inline bytes over 5 MB with ImageTooLargeException', async () => {
    const bytes = Buffer.concat([JPEG_START, Buffer.alloc(MAX_INLINE_BYTES)]);

    expect(await errorTypeOf(loadImageBytes({ kind: 'bytes', bytes }))).toBe('ImageTooLargeException');
  });

  it('allows S3 objects up to 15 MB and refuses larger ones', async () => {
    const fits = Buffer.concat([PNG_START, Buffer.alloc(MAX_S3_BYTES - PNG_START.length)]);
    const tooLarge = Buffer.concat([PNG_START, Buffer.alloc(MAX_S3_BYTES)]);
    const source = { kind: 'S3Object' as const, bucket: 'b', key: 'k' };

    await expect(loadImageBytes(source, async () => fits)).resolves.toMatchObject({ format: 'png' });
    expect(await errorTypeOf(loadImageBytes(source, async () => tooLarge))).toBe('ImageTooLargeException');
  });

  it('passes bucket, key and version to the S3 reader', async () => {
    const reader = jest.fn(async () => PNG_START);

    await loadImageBytes({ kind: 'S3Object', bucket: 'uploads', key: 'a b.png', versionId: 'v2' }, reader);

    expect(reader).toHaveBeenCalledWith('uploads', 'a b.png', 'v2');
  });

  it('answers InvalidS3ObjectException without a reader or when the read fails', async () => {
    const source = { kind: 'S3Object' as const, bucket: 'b', key: 'k' };

    expect(await errorTypeOf(loadImageBytes(source))).toBe('InvalidS3ObjectException');
    expect(await errorTypeOf(loadImageBytes(source, async () => Promise.reject(new Error('NoSuchKey'))))).toBe('InvalidS3ObjectException');
  });

  it('refuses other formats with InvalidImageFormatException', async () => {
    expect(await errorTypeOf(loadImageBytes({ kind: 'bytes', bytes: Buffer.from('GIF89a-and-more') }))).toBe('InvalidImageFormatException');
  });
});
