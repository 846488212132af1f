import { badRequest } from './http-error';

/**
 * Opaque page tokens. A cursor names the listing it belongs to, whose data it may read (the caller's own partitions,
 * or every owner's for an admin) and a fingerprint of its filters, so a token from one query, or from another user,
 * can't continue another: each mismatch is a 400.
 */
interface CursorBody {
  k: string;
  s: string;
  f: string;
  p: unknown;
}

/** Which listing a cursor continues, for whom, with which filters. */
export interface CursorBinding {
  kind: string;
  /** The partitions the listing may read: `owner:<sub>` or `all` (admins). */
  scope: string;
  fingerprint: string;
}

const TOKEN = /^[A-Za-z0-9_-]{1,4096}$/;
const MALFORMED = '"cursor" is not a valid page token; pass back a nextCursor exactly as a listing returned it.';

/** Encodes a position in a listing as a URL-safe token. */
export function encodeCursor(binding: CursorBinding, position: unknown): string {
  const body: CursorBody = { k: binding.kind, s: binding.scope, f: binding.fingerprint, p: position };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/**
 * Decodes a token made by encodeCursor for the same listing, scope and filters; `checkPosition` vets the position
 * itself (its shape must be what this listing writes).
 * @throws HttpError 400 when it is malformed, made for other data (another user's), or for other filters.
 */
export function decodeCursor<T>(token: string, binding: CursorBinding, checkPosition: (position: unknown) => position is T): T {
  let body: unknown;
  try {
    if (!TOKEN.test(token)) throw new Error('not base64url');
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest(MALFORMED);
  }
  const candidate = body as Partial<CursorBody> | null;
  if (
    !candidate ||
    typeof candidate !== 'object' ||
    candidate.k !== binding.kind ||
    typeof candidate.s !== 'string' ||
    typeof candidate.f !== 'string'
  )
    throw badRequest(MALFORMED);
  if (candidate.s !== binding.scope)
    throw badRequest('"cursor" belongs to a listing of other data (another user\'s, or another view); start again without it.');
  if (candidate.f !== binding.fingerprint) throw badRequest('"cursor" belongs to a query with other filters; start again without it.');
  if (!checkPosition(candidate.p)) throw badRequest(MALFORMED);
  return candidate.p;
}
