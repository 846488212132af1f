import type { IncomingMessage } from 'node:http';
import { HttpError, badRequest } from './errors';

/**
 * Reads a small JSON body. Requiring application/json also means a foreign page can't send it as a
 * "simple" request: the browser would need a preflight, which this API never grants.
 * @throws HttpError 415 for another content type, 413 when too large, 400 when not a JSON object.
 */
export async function readJsonObject(req: IncomingMessage, maxBytes = 16384): Promise<Record<string, unknown>> {
  const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') throw new HttpError(415, 'UnsupportedMediaType', 'Send the body as application/json.');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new HttpError(413, 'PayloadTooLarge', `The body must be at most ${maxBytes} bytes.`);
    chunks.push(chunk as Buffer);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw badRequest('The body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('The body must be a JSON object.');
  return parsed as Record<string, unknown>;
}
