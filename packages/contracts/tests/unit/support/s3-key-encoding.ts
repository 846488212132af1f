/**
 * Encodes an object key the way S3 writes it into event notifications: form encoding (space as
 * "+", everything but [A-Za-z0-9._*-] percent-encoded as UTF-8) with "/" left as it is.
 */
export function encodeKeyLikeS3(key: string): string {
  return encodeURIComponent(key)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/')
    .replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
