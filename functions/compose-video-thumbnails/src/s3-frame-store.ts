import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { FrameStore } from './compose';
import { VideoTranscodeFailedError } from './errors';

const NOT_FOUND = new Set(['NoSuchKey', 'NotFound', 'NoSuchBucket']);

/** A missing bucket or frame means the transcode did not leave its outputs: named, not retried. Other errors keep the SDK's names. */
function missingOutputs(bucket: string, key: string) {
  return (error: unknown): never => {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (NOT_FOUND.has(e.name ?? '') || e.$metadata?.httpStatusCode === 404)
      throw new VideoTranscodeFailedError(`the transcode's frames at s3://${bucket}/${key} are missing (${e.name ?? 'not found'})`, {
        cause: error,
      });
    throw error;
  };
}

/** The FrameStore on S3 (ListObjectsV2 pages, GetObject, PutObject). */
export function s3FrameStore(client: S3Client): FrameStore {
  return {
    async list(bucket, prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client
          .send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }))
          .catch(missingOutputs(bucket, prefix));
        keys.push(...(page.Contents ?? []).map((object) => object.Key ?? '').filter((key) => key !== ''));
        token = page.NextContinuationToken;
      } while (token && keys.length < 1000);
      return keys.sort();
    },
    async get(bucket, key) {
      const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key })).catch(missingOutputs(bucket, key));
      return Buffer.from(await response.Body!.transformToByteArray());
    },
    async put(bucket, key, body, contentType, metadata) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, Metadata: metadata }));
    },
  };
}
