import { Readable } from 'node:stream';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

/** One stored object of the fake S3. */
export interface StoredObject {
  body: Buffer;
  contentType?: string;
  metadata: Record<string, string>;
}

/**
 * An in-memory S3 behind aws-sdk-client-mock: GetObject/HeadObject read, PutObject writes and DeleteObjects deletes in a map keyed
 * by "bucket/key", so what ResizeImage writes is what RekognitionLabels is pointed at.
 */
export class FakeS3 {
  readonly objects = new Map<string, StoredObject>();
  readonly mock = mockClient(S3Client);
  /** While true, DeleteObjects deletes nothing and answers AccessDenied for every key (S3's per-key failure answer). */
  failDeletes = false;

  constructor() {
    this.mock.on(GetObjectCommand).callsFake(async (input) => {
      const object = this.find(input.Bucket, input.Key);
      // A Range ("bytes=a-b", as ProbeVideo reads headers) returns that slice, as S3 does.
      const range = /^bytes=(\d+)-(\d*)$/.exec(input.Range ?? '');
      const body = range ? object.body.subarray(Number(range[1]), range[2] ? Number(range[2]) + 1 : undefined) : object.body;
      return {
        // A stream with the SDK's transformToByteArray and transformToString, as the SDK's own response bodies have.
        Body: Object.assign(Readable.from([body]), {
          transformToByteArray: async () => new Uint8Array(body),
          transformToString: async () => body.toString('utf8'),
        }) as never,
        ContentLength: body.length,
        ContentType: object.contentType,
        Metadata: object.metadata,
      };
    });
    this.mock.on(HeadObjectCommand).callsFake(async (input) => {
      const object = this.find(input.Bucket, input.Key);
      return { ContentLength: object.body.length, ContentType: object.contentType, Metadata: object.metadata };
    });
    this.mock.on(ListObjectsV2Command).callsFake(async (input) => {
      const keys = this.keys(input.Bucket ?? '', input.Prefix ?? '');
      return {
        KeyCount: keys.length,
        IsTruncated: false,
        Contents: keys.map((Key) => ({ Key, Size: this.find(input.Bucket, Key).body.length })),
      };
    });
    this.mock.on(PutObjectCommand).callsFake(async (input) => {
      const body = input.Body;
      const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body as Uint8Array);
      this.objects.set(`${input.Bucket}/${input.Key}`, { body: bytes, contentType: input.ContentType, metadata: input.Metadata ?? {} });
      return { ETag: '"fake"' };
    });
    // Like S3, deleting a key that is not there is a success.
    this.mock.on(DeleteObjectsCommand).callsFake(async (input) => {
      const keys = (input.Delete?.Objects ?? []).map((object: { Key?: string }) => String(object.Key));
      if (this.failDeletes)
        return { Deleted: [], Errors: keys.map((Key: string) => ({ Key, Code: 'AccessDenied', Message: 'Access Denied' })) };
      for (const key of keys) this.objects.delete(`${input.Bucket}/${key}`);
      return { Deleted: input.Delete?.Quiet ? [] : keys.map((Key: string) => ({ Key })), Errors: [] };
    });
  }

  /** Puts an object as an uploader would, with optional user metadata. */
  upload(bucket: string, key: string, body: Buffer, metadata: Record<string, string> = {}): void {
    this.objects.set(`${bucket}/${key}`, { body, metadata });
  }

  /** The keys stored under a bucket and prefix, sorted. */
  keys(bucket: string, prefix = ''): string[] {
    return [...this.objects.keys()]
      .filter((id) => id.startsWith(`${bucket}/${prefix}`))
      .map((id) => id.slice(bucket.length + 1))
      .sort();
  }

  /** Restores the real S3Client. */
  restore(): void {
    this.mock.restore();
  }

  private find(bucket: string | undefined, key: string | undefined): StoredObject {
    const object = this.objects.get(`${bucket}/${key}`);
    if (object === undefined) {
      throw new S3ServiceException({
        name: 'NoSuchKey',
        $fault: 'client',
        $metadata: { httpStatusCode: 404 },
        message: 'The specified key does not exist.',
      });
    }
    return object;
  }
}
