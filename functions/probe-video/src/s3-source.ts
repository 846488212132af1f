import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SourceNotFoundError } from './errors';
import type { RangeSource } from './range-reader';

const NOT_FOUND = new Set(['NoSuchKey', 'NotFound', 'NoSuchVersion', 'NoSuchBucket']);

/**
 * An S3 object (one version) as a RangeSource: HeadObject for its size, then a ranged GetObject per read, so the
 * probe never downloads the video. S3 throttling and 5xx keep the SDK's names (the state machine retries them).
 * @throws SourceNotFoundError when the object or version is missing.
 */
export async function s3RangeSource(
  client: S3Client,
  ref: { bucket: string; key: string; versionId: string | null },
): Promise<RangeSource> {
  const where = { Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId ?? undefined };
  let size: number;
  try {
    size = (await client.send(new HeadObjectCommand(where))).ContentLength ?? 0;
  } catch (error) {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (NOT_FOUND.has(e.name ?? '') || e.$metadata?.httpStatusCode === 404)
      throw new SourceNotFoundError(`s3://${ref.bucket}/${ref.key} does not exist`);
    throw error;
  }
  return {
    size,
    async read(offset, length) {
      const response = await client.send(new GetObjectCommand({ ...where, Range: `bytes=${offset}-${offset + length - 1}` }));
      return response.Body ? response.Body.transformToByteArray() : new Uint8Array(0);
    },
  };
}
