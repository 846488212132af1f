import { badRequest } from '../http/http-error';
import type { UploadLimits } from '../api-deps';

/** A validated request for a presigned upload. */
export interface UploadRequest {
  fileName: string;
  contentType: string;
  size: number;
}

/** Validates the body of POST /uploads against the limits. @throws HttpError 400 naming the bad field. */
export function parseUploadRequest(body: Record<string, unknown>, limits: UploadLimits): UploadRequest {
  // No recipient field: who is told comes from the owner's verified profile, never from an upload (issue 12).
  const allowed = ['fileName', 'contentType', 'size'];
  const unknown = Object.keys(body).find((key) => !allowed.includes(key));
  if (unknown) throw badRequest(`Unknown field "${unknown}"; allowed: ${allowed.join(', ')}.`);
  const { fileName, contentType, size } = body;
  if (typeof fileName !== 'string' || fileName.trim() === '' || fileName.length > 255)
    throw badRequest('"fileName" must be a string of 1 to 255 characters.');
  if (typeof contentType !== 'string' || !limits.contentTypes.includes(contentType))
    throw badRequest(`"contentType" must be one of ${limits.contentTypes.join(', ')}.`);
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) throw badRequest('"size" must be a positive whole number of bytes.');
  if (size > limits.maxBytes) throw badRequest(`"size" is over the limit of ${limits.maxBytes} bytes.`);
  return { fileName, contentType, size };
}
