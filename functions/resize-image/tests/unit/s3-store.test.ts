import { Readable } from 'node:stream';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { s3ObjectStore } from '../../src/s3-store';

const s3Mock = mockClient(S3Client);
const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const ref = { bucket: 'uploads', key: 'uploads/a.jpg', versionId: 'v1' };

/** A body stream that records whether anyone read it. */
function trackedBody(bytes: Buffer): Readable & { wasRead: () => boolean } {
  let read = false;
  const stream = new Readable({
    read() {
      read = true;
      this.push(bytes);
      this.push(null);
    },
  });
  return Object.assign(stream, { wasRead: () => read });
}

beforeEach(() => s3Mock.reset());

describe('s3ObjectStore.getObject', () => {
  test('passes the version, lower-cases user metadata and reads the body', async () => {
    // Prepare
    s3Mock.on(GetObjectCommand).resolves({
      ContentLength: 5,
      Metadata: { 'Notify-Email': 'a@example.com' },
      Body: Readable.from([Buffer.from('he'), Buffer.from('llo')]) as never,
    });

    // Act
    const object = await s3ObjectStore(client).getObject(ref);
    const body = await object.readBody(100);

    // Assess
    expect(s3Mock.commandCalls(GetObjectCommand)[0].args[0].input).toEqual({ Bucket: 'uploads', Key: 'uploads/a.jpg', VersionId: 'v1' });
    expect(object.contentLength).toBe(5);
    expect(object.metadata).toEqual({ 'notify-email': 'a@example.com' });
    expect(body.toString()).toBe('hello');
  });

  test('omits VersionId for an unversioned object', async () => {
    // Prepare
    s3Mock.on(GetObjectCommand).resolves({ ContentLength: 0, Body: Readable.from([]) as never });

    // Act
    await s3ObjectStore(client).getObject({ ...ref, versionId: null });

    // Assess
    expect(s3Mock.commandCalls(GetObjectCommand)[0].args[0].input.VersionId).toBeUndefined();
  });

  test('stops reading once the stream passes the byte limit', async () => {
    // Prepare: ContentLength lies (or is missing); the stream itself is longer than allowed.
    s3Mock.on(GetObjectCommand).resolves({ Body: Readable.from([Buffer.alloc(60), Buffer.alloc(60)]) as never });
    const object = await s3ObjectStore(client).getObject(ref);

    // Act
    const result = object.readBody(100);

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'ImageTooLargeError' });
  });

  test('discards the body without reading it', async () => {
    // Prepare
    const body = trackedBody(Buffer.alloc(10));
    s3Mock.on(GetObjectCommand).resolves({ ContentLength: 10, Body: body as never });
    const object = await s3ObjectStore(client).getObject(ref);

    // Act
    object.discard();

    // Assess
    expect(body.destroyed).toBe(true);
    expect(body.wasRead()).toBe(false);
  });

  test.each([
    ['NoSuchKey', new NoSuchKey({ message: 'gone', $metadata: { httpStatusCode: 404 } })],
    [
      'NoSuchVersion',
      new S3ServiceException({ name: 'NoSuchVersion', $fault: 'client', message: 'no version', $metadata: { httpStatusCode: 404 } }),
    ],
    ['a bare 404', new S3ServiceException({ name: 'NotFound', $fault: 'client', message: '', $metadata: { httpStatusCode: 404 } })],
  ])('maps %s to SourceNotFoundError', async (_label, error) => {
    // Prepare
    s3Mock.on(GetObjectCommand).rejects(error);

    // Act
    const result = s3ObjectStore(client).getObject(ref);

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'SourceNotFoundError' });
  });

  test('keeps the SDK name of throttling errors so the state machine retries them', async () => {
    // Prepare
    s3Mock
      .on(GetObjectCommand)
      .rejects(new S3ServiceException({ name: 'SlowDown', $fault: 'server', message: 'slow down', $metadata: { httpStatusCode: 503 } }));

    // Act
    const result = s3ObjectStore(client).getObject(ref);

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'SlowDown' });
  });
});

describe('s3ObjectStore.putObject', () => {
  test('sends Content-Type and Cache-Control with the body', async () => {
    // Prepare
    s3Mock.on(PutObjectCommand).resolves({});

    // Act
    await s3ObjectStore(client).putObject({
      bucket: 'p',
      key: 'k.webp',
      body: Buffer.from('x'),
      contentType: 'image/webp',
      cacheControl: 'public',
    });

    // Assess
    expect(s3Mock.commandCalls(PutObjectCommand)[0].args[0].input).toEqual({
      Bucket: 'p',
      Key: 'k.webp',
      Body: Buffer.from('x'),
      ContentType: 'image/webp',
      CacheControl: 'public',
    });
  });
});
