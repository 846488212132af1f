import { createHash, randomBytes } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ApiContext } from '../api-context';
import { readJsonObject } from '../http/read-body';
import type { Router } from '../http/router';
import { parseUploadRequest, uploadKey } from '../uploads/upload-request';

const EXPIRES_SECONDS = 900;

/** POST /api/uploads: a presigned PUT straight to the uploads bucket, so image bytes never pass through the console. */
export function registerUploadRoutes(router: Router, context: ApiContext): void {
  router.on('GET', '/api/config', async () => ({
    maxUploadBytes: context.limits.maxBytes,
    contentTypes: context.limits.contentTypes,
    uploadsBucket: context.resources.uploadsBucket,
  }));

  router.on('POST', '/api/uploads', async ({ req, res }) => {
    const upload = parseUploadRequest(await readJsonObject(req), context.limits);
    const key = uploadKey(context.limits.prefix, upload.fileName, new Date(), randomBytes(6).toString('hex'));
    const command = new PutObjectCommand({
      Bucket: context.resources.uploadsBucket,
      Key: key,
      ContentType: upload.contentType,
    });
    // Content-Type stays a signed header, so the browser must send exactly it.
    const headers: Record<string, string> = { 'content-type': upload.contentType };
    const url = await getSignedUrl(context.clients.s3, command, {
      expiresIn: EXPIRES_SECONDS,
      signableHeaders: new Set(Object.keys(headers)),
      unhoistableHeaders: new Set(Object.keys(headers)),
    });
    res.statusCode = 201;
    return {
      method: 'PUT',
      url,
      headers,
      bucket: context.resources.uploadsBucket,
      key,
      // Per docs/contracts.md, so the page can follow the image before its execution is listed.
      imageId: createHash('sha256').update(`${context.resources.uploadsBucket}/${key}`).digest('hex').slice(0, 32),
      expiresAt: new Date(Date.now() + EXPIRES_SECONDS * 1000).toISOString(),
    };
  });
}
