import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { imageIdFor, uploadKeyFor } from '@smart-image-pipeline/contracts';
import type { UploadLimits } from '../api-deps';
import type { UploadRequest } from './upload-request';

/** How long a presigned upload may be used. */
export const UPLOAD_EXPIRES_SECONDS = 900;

/** A presigned POST: the browser sends `fields` and then the file as multipart/form-data to `url`. */
export interface PresignedUpload {
  method: 'POST';
  url: string;
  fields: Record<string, string>;
  bucket: string;
  key: string;
  imageId: string;
  maxBytes: number;
  expiresAt: string;
}

/**
 * A presigned POST for `uploads/<owner>/<uuid>-<safe name>`. S3 itself enforces the policy: exactly this key, a
 * Content-Type starting with `image/` (the declared one), a size between 1 byte and the declared size (at most the
 * limit), so a client cannot upload elsewhere, bigger, or as another type than it asked for. No metadata names a
 * recipient: who is told comes from the owner's verified profile (issue 12).
 */
export async function presignUpload(
  s3: Pick<S3Client, 'send' | 'config'>,
  bucket: string,
  owner: string,
  upload: UploadRequest,
  limits: UploadLimits,
  uploadId: string,
  now: Date,
): Promise<PresignedUpload> {
  const key = uploadKeyFor(owner, uploadId, upload.fileName);
  const fields: Record<string, string> = { 'Content-Type': upload.contentType };
  const post = await createPresignedPost(s3 as S3Client, {
    Bucket: bucket,
    Key: key,
    Fields: fields,
    Conditions: [
      // The declared size is the ceiling (the API refused a declared size above the limit).
      ['content-length-range', 1, Math.min(upload.size, limits.maxBytes)],
      ['starts-with', '$Content-Type', 'image/'],
      ...Object.entries(fields).map(([name, value]) => ['eq', `$${name}`, value] as ['eq', string, string]),
    ],
    Expires: UPLOAD_EXPIRES_SECONDS,
  });
  return {
    method: 'POST',
    url: post.url,
    fields: post.fields,
    bucket,
    key,
    // Per docs/contracts.md "Identity", so the page can follow the image before its execution is listed.
    imageId: imageIdFor(bucket, key),
    maxBytes: limits.maxBytes,
    expiresAt: new Date(now.getTime() + UPLOAD_EXPIRES_SECONDS * 1000).toISOString(),
  };
}
