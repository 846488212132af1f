import { ERROR_NAMES, PipelineError } from './errors';

/** An S3 event's object key is not valid URL encoding; only that record fails. */
export class MalformedObjectKeyError extends PipelineError {
  public override readonly name = ERROR_NAMES.malformedObjectKey;

  public constructor(
    public readonly encodedKey: string,
    options?: { cause?: unknown },
  ) {
    super(`Object key is not valid URL encoding: ${JSON.stringify(encodedKey.slice(0, 200))}`, options);
  }
}

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
