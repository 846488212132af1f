import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ImageTooLargeError, SourceNotFoundError } from './errors';
import type { ObjectStore, OpenedObject } from './types';

const NOT_FOUND = new Set(['NoSuchKey', 'NotFound', 'NoSuchVersion', 'NoSuchBucket']);

const isNotFound = (error: unknown): boolean => {
  const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return NOT_FOUND.has(e?.name ?? '') || NOT_FOUND.has(e?.Code ?? '') || e?.$metadata?.httpStatusCode === 404;
};

/** Reads a stream into one Buffer, stopping as soon as it grows past maxBytes. */
async function readLimited(body: AsyncIterable<Uint8Array> & { destroy?: () => void }, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > maxBytes) {
      body.destroy?.();
      throw new ImageTooLargeError(`The object is larger than the limit of ${maxBytes} bytes`);
    }
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
  }
  return Buffer.concat(chunks, total);
}

type Body = AsyncIterable<Uint8Array> & { destroy?: () => void };

/**
 * Lets the first bytes be read (to sniff the type) before deciding whether to read the rest; the rest then
 * continues from the same stream, so the object is downloaded once.
 */
function peekable(body: Body): { head(bytes: number): Promise<Buffer>; whole: Body } {
  const iterator = body[Symbol.asyncIterator]();
  const buffered: Buffer[] = [];
  let bufferedBytes = 0;
  let ended = false;
  return {
    async head(bytes) {
      while (bufferedBytes < bytes && !ended) {
        const next = await iterator.next();
        if (next.done) ended = true;
        else {
          buffered.push(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.length));
          bufferedBytes += next.value.length;
        }
      }
      return Buffer.concat(buffered).subarray(0, bytes);
    },
    whole: {
      async *[Symbol.asyncIterator]() {
        yield* buffered;
        while (!ended) {
          const next = await iterator.next();
          if (next.done) return;
          yield next.value;
        }
      },
      destroy: () => body.destroy?.(),
    },
  };
}

/**
 * The core's ObjectStore backed by S3: GetObject (size and user metadata are known before the body is
 * read) and PutObject. S3 throttling and 5xx errors keep the SDK's names so the state machine retries them.
 */
export function s3ObjectStore(client: S3Client): ObjectStore {
  return {
    async getObject(ref): Promise<OpenedObject> {
      let response;
      try {
        response = await client.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId ?? undefined }));
      } catch (error) {
        if (isNotFound(error))
          throw new SourceNotFoundError(
            `s3://${ref.bucket}/${ref.key}${ref.versionId ? ` (version ${ref.versionId})` : ''} does not exist`,
          );
        throw error;
      }
      const body = response.Body ? peekable(response.Body as unknown as Body) : undefined;
      const metadata = Object.fromEntries(Object.entries(response.Metadata ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      return {
        contentLength: response.ContentLength,
        metadata,
        readHead: (bytes) => (body ? body.head(bytes) : Promise.resolve(Buffer.alloc(0))),
        readBody: (maxBytes) => (body ? readLimited(body.whole, maxBytes) : Promise.resolve(Buffer.alloc(0))),
        discard: () => body?.whole.destroy?.(),
      };
    },
    async putObject(put): Promise<void> {
      await client.send(
        new PutObjectCommand({
          Bucket: put.bucket,
          Key: put.key,
          Body: put.body,
          ContentType: put.contentType,
          CacheControl: put.cacheControl,
          Metadata: put.metadata,
        }),
      );
    },
  };
}
