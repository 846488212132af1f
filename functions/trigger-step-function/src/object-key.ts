import { MalformedObjectKeyError } from './errors';

/**
 * Decodes an S3 event's object key exactly once: `+` becomes a space, then percent-decoding.
 * S3 encodes a literal `+` as `%2B`, so replacing `+` first is the only safe order.
 * @throws MalformedObjectKeyError when the key holds broken percent-encoding or invalid UTF-8.
 */
export function decodeObjectKey(encodedKey: string): string {
  try {
    return decodeURIComponent(encodedKey.replace(/\+/g, ' '));
  } catch (error) {
    throw new MalformedObjectKeyError(encodedKey, { cause: error });
  }
}
