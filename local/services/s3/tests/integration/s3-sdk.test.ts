import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  NoSuchKey,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3EventRecord } from 'aws-lambda';
import { startEdgeServer, type EdgeServer } from '../../../../edge/server';
import type { EdgeRequest } from '../../../../edge/types';
import { createS3Service, type LocalS3Service } from '../../s3-service';

/** Bytes that differ everywhere, so a shifted or framed copy cannot compare equal. */
function pattern(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  let state = seed;
  for (let index = 0; index < size; index += 1) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

const sha = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('local S3 with the AWS SDK v3 at default checksum settings', () => {
  let dataDir: string;
  let edge: EdgeServer;
  let s3Service: LocalS3Service;
  let client: S3Client;
  const events: S3EventRecord[] = [];
  const transfers: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sip-s3-'));
    s3Service = await createS3Service({ dataDir });
    s3Service.onObjectCreated((record) => {
      events.push(record);
    });
    // Record how bodies arrive, so the tests prove that the aws-chunked path ran.
    const recording = {
      ...s3Service,
      handle: (req: EdgeRequest) => {
        transfers.push(`${req.method} ${String(req.headers['x-amz-content-sha256'])} ${String(req.headers['content-encoding'] ?? '')}`);
        return s3Service.handle(req);
      },
    };
    edge = await startEdgeServer({ port: 0, services: [recording], faults: {} });
    client = new S3Client({
      endpoint: edge.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await client.send(new CreateBucketCommand({ Bucket: 'uploads' }));
    await client.send(new PutBucketVersioningCommand({ Bucket: 'uploads', VersioningConfiguration: { Status: 'Enabled' } }));
    await client.send(new CreateBucketCommand({ Bucket: 'plain' }));
  });

  afterAll(async () => {
    client.destroy();
    await edge.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stores a small default-checksum PutObject byte-exact and returns the checksum it validates', async () => {
    // Prepare
    const body = pattern(70_000, 1);

    // Act
    const put = await client.send(
      new PutObjectCommand({ Bucket: 'uploads', Key: 'uploads/small.bin', Body: body, ContentType: 'image/jpeg' }),
    );
    const got = await client.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'uploads/small.bin', ChecksumMode: 'ENABLED' }));
    const bytes = await got.Body!.transformToByteArray();

    // Assess
    expect(sha(bytes)).toBe(sha(body));
    expect(got.ContentType).toBe('image/jpeg');
    expect(got.ChecksumCRC32).toBeDefined();
    expect(put.VersionId).toBe(got.VersionId);
    expect(put.ETag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
  });

  it('stores a 12 MB lib-storage multipart upload byte-exact with an S3-style ETag', async () => {
    // Prepare
    const body = pattern(12 * 1024 * 1024 + 123, 2);

    // Act
    const upload = new Upload({ client, params: { Bucket: 'uploads', Key: 'uploads/big.bin', Body: body }, partSize: 5 * 1024 * 1024 });
    const done = await upload.done();
    const got = await client.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'uploads/big.bin', ChecksumMode: 'ENABLED' }));
    const bytes = await got.Body!.transformToByteArray();

    // Assess
    expect(bytes.length).toBe(body.length);
    expect(sha(bytes)).toBe(sha(body));
    expect(done.ETag).toMatch(/^"[0-9a-f]{32}-3"$/);
  });

  it('decodes an aws-chunked streaming upload with a trailing checksum byte-exact', async () => {
    // Prepare
    const body = pattern(300_000, 9);
    const file = join(dataDir, 'stream-source.bin');
    await writeFile(file, body);
    transfers.length = 0;

    // Act
    await client.send(new PutObjectCommand({ Bucket: 'plain', Key: 'streamed.bin', Body: createReadStream(file) }));
    const got = await client.send(new GetObjectCommand({ Bucket: 'plain', Key: 'streamed.bin', ChecksumMode: 'ENABLED' }));

    // Assess
    expect(transfers[0]).toMatch(/^PUT STREAMING-UNSIGNED-PAYLOAD-TRAILER aws-chunked/);
    expect(sha(await got.Body!.transformToByteArray())).toBe(sha(body));
    expect(got.ChecksumCRC32).toBeDefined();
  });

  it('serves a Range GET with 206 and Content-Range', async () => {
    // Prepare
    const body = pattern(1000, 3);
    await client.send(new PutObjectCommand({ Bucket: 'plain', Key: 'range.bin', Body: body }));

    // Act
    const got = await client.send(new GetObjectCommand({ Bucket: 'plain', Key: 'range.bin', Range: 'bytes=100-199' }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());

    // Assess
    expect(got.$metadata.httpStatusCode).toBe(206);
    expect(got.ContentRange).toBe('bytes 100-199/1000');
    expect(bytes.equals(body.subarray(100, 200))).toBe(true);
  });

  it('answers an unsatisfiable range with InvalidRange', async () => {
    // Act
    const attempt = client.send(new GetObjectCommand({ Bucket: 'plain', Key: 'range.bin', Range: 'bytes=5000-6000' }));

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'InvalidRange', $metadata: { httpStatusCode: 416 } });
  });

  it('accepts a presigned PUT through fetch and serves a presigned GET', async () => {
    // Prepare
    const body = pattern(5000, 4);
    const putUrl = await getSignedUrl(
      client,
      new PutObjectCommand({ Bucket: 'uploads', Key: 'uploads/presigned photo.jpg', ContentType: 'image/jpeg' }),
      { expiresIn: 60 },
    );
    const getUrl = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'uploads', Key: 'uploads/presigned photo.jpg' }), {
      expiresIn: 60,
    });

    // Act
    const put = await fetch(putUrl, { method: 'PUT', body: new Uint8Array(body), headers: { 'content-type': 'image/jpeg' } });
    const got = await fetch(getUrl);

    // Assess
    expect(put.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(body)).toBe(true);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
  });

  it('refuses an expired presigned URL with AccessDenied', async () => {
    // Prepare
    const url = new URL(await getSignedUrl(client, new GetObjectCommand({ Bucket: 'plain', Key: 'range.bin' }), { expiresIn: 1 }));
    url.searchParams.set('X-Amz-Date', '20200101T000000Z');

    // Act
    const response = await fetch(url);

    // Assess
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Message>Request has expired</Message>');
  });

  it('copies an object whose key needs encoding, keeping its metadata', async () => {
    // Prepare
    const key = 'uploads/a b+(1)%?#ü.jpg';
    const body = pattern(3000, 5);
    await client.send(
      new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: body, Metadata: { 'notify-email': 'someone@example.com' } }),
    );

    // Act
    await client.send(new CopyObjectCommand({ Bucket: 'plain', Key: 'copied/å b+.jpg', CopySource: `uploads/${encodeURIComponent(key)}` }));
    const head = await client.send(new HeadObjectCommand({ Bucket: 'plain', Key: 'copied/å b+.jpg' }));
    const got = await client.send(new GetObjectCommand({ Bucket: 'plain', Key: 'copied/å b+.jpg' }));

    // Assess
    expect(head.Metadata).toEqual({ 'notify-email': 'someone@example.com' });
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
  });

  it('pages ListObjectsV2 with continuation tokens, prefixes and delimiters', async () => {
    // Prepare
    for (const key of ['list/a', 'list/b', 'list/c/1', 'list/c/2', 'list/d', 'list/e']) {
      await client.send(new PutObjectCommand({ Bucket: 'plain', Key: key, Body: 'x' }));
    }

    // Act
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: 'plain', Prefix: 'list/', Delimiter: '/', MaxKeys: 2, ContinuationToken: token }),
      );
      seen.push(...(page.Contents ?? []).map((item) => item.Key!), ...(page.CommonPrefixes ?? []).map((item) => item.Prefix!));
      token = page.NextContinuationToken;
      pages += 1;
    } while (token);
    const afterB = await client.send(new ListObjectsV2Command({ Bucket: 'plain', Prefix: 'list/', StartAfter: 'list/b' }));

    // Assess
    expect(seen.sort()).toEqual(['list/a', 'list/b', 'list/c/', 'list/d', 'list/e']);
    expect(pages).toBe(3);
    expect(afterB.Contents?.map((item) => item.Key)).toEqual(['list/c/1', 'list/c/2', 'list/d', 'list/e']);
  });

  it('round-trips user metadata and Content-Type on HEAD', async () => {
    // Act
    await client.send(
      new PutObjectCommand({
        Bucket: 'plain',
        Key: 'meta.txt',
        Body: 'hello',
        ContentType: 'text/plain',
        Metadata: { Owner: 'ada', 'notify-email': 'a@b.c' },
      }),
    );
    const head = await client.send(new HeadObjectCommand({ Bucket: 'plain', Key: 'meta.txt' }));

    // Assess
    expect(head.ContentType).toBe('text/plain');
    expect(head.Metadata).toEqual({ owner: 'ada', 'notify-email': 'a@b.c' });
    expect(head.ContentLength).toBe(5);
  });

  it('keeps keys with spaces, +, %, unicode and ../ inside the data folder and readable', async () => {
    // Prepare
    const keys = ['../escape.txt', '../../../../../../tmp/sip-escape', 'a/./b/../c', '/abs', 'sp ace+plus%25pct ünï 😀'];

    // Act
    for (const key of keys) await client.send(new PutObjectCommand({ Bucket: 'plain', Key: key, Body: `body of ${key}` }));
    const bodies = await Promise.all(
      keys.map(async (key) => (await client.send(new GetObjectCommand({ Bucket: 'plain', Key: key }))).Body!.transformToString()),
    );
    const listed = (await client.send(new ListObjectsV2Command({ Bucket: 'plain' }))).Contents!.map((item) => item.Key);

    // Assess
    expect(bodies).toEqual(keys.map((key) => `body of ${key}`));
    expect(listed).toEqual(expect.arrayContaining(keys));
    const files = await readdir(dataDir, { recursive: true });
    for (const file of files) expect(relative(dataDir, resolve(dataDir, file)).startsWith('..')).toBe(false);
    expect(existsSync(join(dataDir, '..', 'escape.txt'))).toBe(false);
    expect(existsSync('/tmp/sip-escape')).toBe(false);
    expect(existsSync('/abs')).toBe(false);
  });

  it('answers a missing key with NoSuchKey and a missing bucket with NoSuchBucket', async () => {
    await expect(client.send(new GetObjectCommand({ Bucket: 'plain', Key: 'nope' }))).rejects.toBeInstanceOf(NoSuchKey);
    await expect(client.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'nope' }))).rejects.toMatchObject({
      name: 'NoSuchBucket',
    });
  });

  it('deletes objects one by one and in batches', async () => {
    // Prepare
    for (const key of ['del/1', 'del/2', 'del/3']) await client.send(new PutObjectCommand({ Bucket: 'plain', Key: key, Body: 'x' }));

    // Act
    await client.send(new DeleteObjectCommand({ Bucket: 'plain', Key: 'del/1' }));
    const batch = await client.send(
      new DeleteObjectsCommand({ Bucket: 'plain', Delete: { Objects: [{ Key: 'del/2' }, { Key: 'del/3' }] } }),
    );
    const left = await client.send(new ListObjectsV2Command({ Bucket: 'plain', Prefix: 'del/' }));

    // Assess
    expect(batch.Deleted?.map((item) => item.Key).sort()).toEqual(['del/2', 'del/3']);
    expect(left.KeyCount).toBe(0);
  });

  it('round-trips keys that XML must escape through listing and batch delete (&, <, quotes, CR/LF, spaces, unicode)', async () => {
    // Prepare
    const keys = ['xml/a&b<c>d', 'xml/"quoted" \'single\'', 'xml/line\r\nbreak\rcr', 'xml/ padded ', 'xml/ünï😀 ]]>', 'xml/007'];
    for (const key of keys) await client.send(new PutObjectCommand({ Bucket: 'plain', Key: key, Body: key }));

    // Act
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'plain', Prefix: 'xml/' }));
    const batch = await client.send(new DeleteObjectsCommand({ Bucket: 'plain', Delete: { Objects: keys.map((Key) => ({ Key })) } }));
    const left = await client.send(new ListObjectsV2Command({ Bucket: 'plain', Prefix: 'xml/' }));

    // Assess
    expect(listed.Contents?.map((item) => item.Key).sort()).toEqual([...keys].sort());
    expect(batch.Deleted?.map((item) => item.Key).sort()).toEqual([...keys].sort());
    expect(batch.Errors).toBeUndefined();
    expect(left.KeyCount).toBe(0);
  });

  it('delivers AWS-shaped events with URL-encoded keys and increasing sequencers', async () => {
    // Prepare
    events.length = 0;
    const key = 'uploads/a b+(1).jpg';

    // Act
    const first = await client.send(new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: 'one' }));
    const second = await client.send(new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: 'two!' }));
    await s3Service.drainEvents();

    // Assess
    expect(events).toHaveLength(2);
    const [a, b] = events;
    expect(a).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventName: 'ObjectCreated:Put',
      s3: {
        bucket: { name: 'uploads', arn: 'arn:aws:s3:::uploads' },
        object: { key: 'uploads/a+b%2B%281%29.jpg', size: 3, versionId: first.VersionId },
      },
    });
    expect(b.s3.object.versionId).toBe(second.VersionId);
    expect(b.s3.object.eTag).toBe(createHash('md5').update('two!').digest('hex'));
    expect(a.s3.object.sequencer).toMatch(/^[0-9A-F]+$/);
    expect(b.s3.object.sequencer.padStart(32, '0') > a.s3.object.sequencer.padStart(32, '0')).toBe(true);
  });

  it('keeps objects and keeps sequencers increasing across a restart', async () => {
    // Prepare
    const before = s3Service.headObject('uploads', 'uploads/small.bin');

    // Act
    const reopened = await createS3Service({ dataDir });
    const record = await (async () => {
      const seen: S3EventRecord[] = [];
      reopened.onObjectCreated((event) => {
        seen.push(event);
      });
      await reopened.putObject('uploads', 'uploads/after-restart.bin', Buffer.from('later'));
      await reopened.drainEvents();
      return seen[0];
    })();
    const bytes = await reopened.getObjectBytes('uploads', 'uploads/small.bin');

    // Assess
    expect(sha(bytes)).toBe(sha(pattern(70_000, 1)));
    expect(record.s3.object.sequencer.padStart(32, '0') > before.sequencer.padStart(32, '0')).toBe(true);
  });
});
