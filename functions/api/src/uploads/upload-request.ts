import { badRequest } from '../http/http-error';
import type { UploadLimits } from '../api-deps';

/** A validated request for a presigned upload. */
export interface UploadRequest {
  fileName: string;
  contentType: string;
  size: number;
  notifyEmail?: string;
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$/;

/** Validates the body of POST /uploads against the limits. @throws HttpError 400 naming the bad field. */
export function parseUploadRequest(body: Record<string, unknown>, limits: UploadLimits): UploadRequest {
  const allowed = ['fileName', 'contentType', 'size', 'notifyEmail'];
  const unknown = Object.keys(body).find((key) => !allowed.includes(key));
  if (unknown) throw badRequest(`Unknown field "${unknown}"; allowed: ${allowed.join(', ')}.`);
  const { fileName, contentType, size, notifyEmail } = body;
  if (typeof fileName !== 'string' || fileName.trim() === '' || fileName.length > 255) throw badRequest('"fileName" must be a string of 1 to 255 characters.');
  if (typeof contentType !== 'string' || !limits.contentTypes.includes(contentType)) throw badRequest(`"contentType" must be one of ${limits.contentTypes.join(', ')}.`);
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) throw badRequest('"size" must be a positive whole number of bytes.');
  if (size > limits.maxBytes) throw badRequest(`"size" is over the limit of ${limits.maxBytes} bytes.`);
  if (notifyEmail !== undefined && notifyEmail !== '' && (typeof notifyEmail !== 'string' || notifyEmail.length > 254 || !EMAIL.test(notifyEmail))) {
    throw badRequest('"notifyEmail" must be an e-mail address.');
  }
  return { fileName, contentType, size, notifyEmail: typeof notifyEmail === 'string' && notifyEmail !== '' ? notifyEmail : undefined };
}
