import './helpers/handler-env';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import sharp from 'sharp';
import { handler } from '../../src/handler';
import type { ResizeInput } from '../../src/types';
import { EVENTS, fixture } from './helpers/fixtures';

const PROCESSED = process.env.PROCESSED_BUCKET_NAME!;
const s3Mock = mockClient(S3Client);
const event = (name: string): ResizeInput => JSON.parse(readFileSync(join(EVENTS, name), 'utf8'));

/** Serves one object from the mocked GetObject, as S3 would (a fresh stream per call). */
function serve(body: Buffer, metadata: Record<string, string> = {}): void {
  s3Mock.on(GetObjectCommand).callsFake(async () => ({ ContentLength: body.length, Metadata: metadata, Body: Readable.from([body]) }));
  s3Mock.on(PutObjectCommand).resolves({});
}

const puts = () => s3Mock.commandCalls(PutObjectCommand).map((call) => call.args[0].input);

beforeEach(() => s3Mock.reset());

describe('handler', () => {
  test('returns a stored resize result ResolveVersion matched as it is, reading and writing nothing', async () => {
    // Prepare
    const input = event('jpeg-upload.json');
    serve(fixture('flowers.jpeg'));
    const resized = await handler(input);
    s3Mock.reset();

    // Act
    const output = await handler({ ...input, storedResize: resized });

    // Assess
    expect(output).toEqual({ ...resized, durationMs: expect.any(Number) });
    expect(s3Mock.calls()).toHaveLength(0);
  });

  test('refuses a storedResize that is not a resize result', async () => {
    // Prepare
    const input = { ...event('jpeg-upload.json'), storedResize: { mediaType: 'video', variants: [] } };

    // Act
    const act = handler(input as unknown as ResizeInput);

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'InvalidResizeInputError' });
    expect(s3Mock.calls()).toHaveLength(0);
  });

  test('resizes the JPEG of jpeg-upload.json and returns pointers for the state machine', async () => {
    // Prepare
    const input = event('jpeg-upload.json');
    serve(fixture('flowers.jpeg'));

    // Act
    const output = await handler(input);

    // Assess
    expect(s3Mock.commandCalls(GetObjectCommand)[0].args[0].input).toEqual({
      Bucket: input.source.bucket,
      Key: input.source.key,
      VersionId: input.source.versionId,
    });
    expect(output.analysisImage).toEqual({
      bucket: input.source.bucket,
      key: input.source.key,
      versionId: input.source.versionId,
      width: 1920,
      height: 1080,
      bytes: 85267,
    });
    expect(output.variants.map((v) => v.key).sort()).toEqual(
      puts()
        .map((p) => p.Key)
        .sort(),
    );
    for (const put of puts()) {
      expect(put.Bucket).toBe(PROCESSED);
      expect(put.Key).toMatch(new RegExp(`^images/${input.imageId}/${input.revision}/w\\d+\\.(webp|jpg)$`));
      expect(put.ContentType).toBe(put.Key!.endsWith('.webp') ? 'image/webp' : 'image/jpeg');
      expect(put.CacheControl).toContain('immutable');
    }
    expect(JSON.stringify(output)).not.toMatch(/"(body|data)"/);
  });

  test('writes an analysis copy for png-with-recipient.json and passes none of its notify-email metadata on', async () => {
    // Prepare
    serve(fixture('16-bit-grey-alpha.png'), { 'notify-email': 'uploader@example.com' });
    const input = event('png-with-recipient.json');

    // Act
    const output = await handler(input);

    // Assess
    expect(JSON.stringify(output)).not.toContain('uploader@example.com');
    expect(output.analysisImage).toMatchObject({
      bucket: PROCESSED,
      key: `images/${input.imageId}/${input.revision}/analysis.jpg`,
      versionId: null,
    });
    const copy = puts().find((p) => p.Key === output.analysisImage?.key)!;
    expect(copy.ContentType).toBe('image/jpeg');
    expect((await sharp(copy.Body as Buffer).metadata()).channels).toBe(3);
  });

  test('reads an unversioned object without VersionId for gif-unversioned.json', async () => {
    // Prepare
    serve(fixture('animated-loop-3.gif'));

    // Act
    const output = await handler(event('gif-unversioned.json'));

    // Assess
    expect(s3Mock.commandCalls(GetObjectCommand)[0].args[0].input.VersionId).toBeUndefined();
    expect(output.image).toMatchObject({ format: 'gif', animated: true, pages: 10 });
  });

  test('throws UnsupportedImageTypeError for the PDF named .jpg of unsupported-pdf.json and writes nothing', async () => {
    // Prepare
    serve(Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n'));

    // Act
    const result = handler(event('unsupported-pdf.json'));

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'UnsupportedImageTypeError' });
    expect(puts()).toEqual([]);
  });

  test('throws SourceNotFoundError when the object is gone', async () => {
    // Prepare
    s3Mock
      .on(GetObjectCommand)
      .rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } }));

    // Act
    const result = handler(event('jpeg-upload.json'));

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'SourceNotFoundError' });
  });

  test('refuses an object over MAX_INPUT_BYTES from its ContentLength', async () => {
    // Prepare
    s3Mock.on(GetObjectCommand).callsFake(async () => ({ ContentLength: 104_857_601, Body: Readable.from([Buffer.alloc(1)]) }));

    // Act
    const result = handler(event('jpeg-upload.json'));

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'ImageTooLargeError' });
  });

  test('throws InvalidResizeInputError for an input that is not the state machine input', async () => {
    await expect(handler({ Records: [] })).rejects.toMatchObject({ name: 'InvalidResizeInputError' });
    expect(s3Mock.commandCalls(GetObjectCommand)).toEqual([]);
  });

  test('fails at cold start when PROCESSED_BUCKET_NAME is missing', () => {
    // Prepare
    const saved = process.env.PROCESSED_BUCKET_NAME;
    delete process.env.PROCESSED_BUCKET_NAME;

    // Act
    let error: Error | undefined;
    jest.isolateModules(() => {
      try {
        require('../../src/handler');
      } catch (e) {
        error = e as Error;
      }
    });
    process.env.PROCESSED_BUCKET_NAME = saved;

    // Assess
    expect(error).toMatchObject({ name: 'ConfigurationError', message: expect.stringContaining('PROCESSED_BUCKET_NAME') });
  });
});
