import type { ApiRequest } from './api-request';
import { HttpError, badRequest } from './http-error';

/**
 * Reads a small JSON object body. Requiring application/json also means a foreign page can't send it as a "simple"
 * request: the browser needs a preflight, which only the web app's origin passes.
 * @throws HttpError 415 for another content type, 413 when too large, 400 when not a JSON object.
 */
export function readJsonObject(request: ApiRequest, maxBytes = 16384): Record<string, unknown> {
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') throw new HttpError(415, 'UnsupportedMediaType', 'Send the body as application/json.');
  const text = request.body ?? '';
  if (Buffer.byteLength(text, 'utf8') > maxBytes)
    throw new HttpError(413, 'PayloadTooLarge', `The body must be at most ${maxBytes} bytes.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('The body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('The body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

/** Refuses a body on a request that takes none, so a client never believes it sent options that were ignored. @throws HttpError 400. */
export function requireNoBody(request: ApiRequest): void {
  if (request.body !== undefined && request.body !== '') throw badRequest('This request takes no body.');
}
