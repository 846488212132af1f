import { badRequest } from './errors';

/**
 * Opaque page tokens. A cursor names the listing it belongs to and a fingerprint of its filters,
 * so a token from one query can't silently continue another.
 */
interface CursorBody {
  k: string;
  f: string;
  p: string;
}

/** Encodes a position in a listing as a URL-safe token. */
export function encodeCursor(kind: string, fingerprint: string, position: string): string {
  const body: CursorBody = { k: kind, f: fingerprint, p: position };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/** Decodes a token made by encodeCursor for the same listing and filters. @throws HttpError 400 when it is malformed or belongs elsewhere. */
export function decodeCursor(token: string, kind: string, fingerprint: string): string {
  let body: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,4096}$/.test(token)) throw new Error('not base64url');
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('"cursor" is not a valid page token.');
  }
  const candidate = body as Partial<CursorBody> | null;
  if (!candidate || typeof candidate.p !== 'string' || candidate.k !== kind) throw badRequest('"cursor" is not a valid page token.');
  if (candidate.f !== fingerprint) throw badRequest('"cursor" belongs to a query with other filters; start again without it.');
  return candidate.p;
}
