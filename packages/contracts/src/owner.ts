/**
 * Who owns an image (docs/contracts.md "Ownership"): the Cognito `sub` of the uploader, read from the upload key
 * `uploads/<sub>/<uuid>-<name>`. Browser-safe: no Node API.
 */

/** The owner of an upload whose key names no Cognito user (CLI, S3 console, old keys): visible to admins only. */
export const UNOWNED = 'unowned';

/** The prefix every upload lives under; the trigger starts the pipeline for nothing else. */
export const UPLOADS_PREFIX = 'uploads/';

/** A Cognito user's `sub`: a lower-case UUID. */
export const COGNITO_SUB_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An owner as items and payloads carry it: a Cognito sub, or `unowned`. */
export const OWNER_PATTERN = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|unowned)$/;

/** True when the value is a Cognito `sub` (lower-case UUID). */
export function isCognitoSub(value: unknown): value is string {
  return typeof value === 'string' && COGNITO_SUB_PATTERN.test(value);
}

/**
 * The owner of an upload key: the segment after the uploads prefix when it is a Cognito sub and an object name
 * follows it, else `unowned`. Only the API writes under `uploads/<sub>/` (its presigned POST fixes the exact key),
 * so anything else that lands under uploads/ is nobody's.
 */
export function ownerFromKey(key: string, uploadsPrefix: string = UPLOADS_PREFIX): string {
  if (!key.startsWith(uploadsPrefix)) return UNOWNED;
  const rest = key.slice(uploadsPrefix.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) return UNOWNED;
  const segment = rest.slice(0, slash);
  return isCognitoSub(segment) ? segment : UNOWNED;
}

/** Longest file-name part of an upload key, in characters; S3 allows 1,024 bytes for the whole key. */
export const MAX_UPLOAD_NAME_LENGTH = 200;

/**
 * The file name as it may appear in an upload key: path separators, control characters and a lone `.`/`..` become
 * `_`, and it is cut to MAX_UPLOAD_NAME_LENGTH characters (by code point), so the key stays one folder deep.
 */
export function safeUploadName(fileName: string): string {
  const cleaned = fileName
    .trim()
    .replace(/[\u0000-\u001f\u007f/\\]/g, '_')
    .replace(/^\.+$/, '_');
  return Array.from(cleaned).slice(0, MAX_UPLOAD_NAME_LENGTH).join('') || '_';
}

/** The key a browser upload goes to: `uploads/<owner>/<uuid>-<safe name>`; the uuid keeps two uploads of one name apart. */
export function uploadKeyFor(owner: string, uploadId: string, fileName: string): string {
  return `${UPLOADS_PREFIX}${owner}/${uploadId}-${safeUploadName(fileName)}`;
}

/** The `<uuid>-` that uploadKeyFor puts before a file name. */
const UPLOAD_ID_PREFIX = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-(.+)$/;

/**
 * The file name a person uploaded, read back from the key: the last segment, without the `<uuid>-` that
 * uploadKeyFor adds under `uploads/<sub>/`.
 */
export function uploadFileName(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1);
  return ownerFromKey(key) === UNOWNED ? name : (UPLOAD_ID_PREFIX.exec(name)?.[1] ?? name);
}
