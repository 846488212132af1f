import { isObject, pathText, s3EventSchema } from '@smart-image-pipeline/contracts';
import { InvalidS3EventError } from './errors';
import type { ObjectCreatedRecord } from './types';

/** Result of reading an invocation payload: usable records, or why it is not an S3 event. */
export type ParsedS3Event =
  | { readonly ok: true; readonly records: readonly ObjectCreatedRecord[]; readonly ignored: number }
  | { readonly ok: false; readonly error: InvalidS3EventError };

const fail = (message: string): ParsedS3Event => ({ ok: false, error: new InvalidS3EventError(message) });

/**
 * Reads an invocation payload as an S3 event notification (the contracts' `s3EventSchema`) without ever
 * throwing: a non-S3 payload comes back as `{ ok: false, error }` naming the first unusable field.
 * Records that are not ObjectCreated (e.g. ObjectRemoved) are counted in `ignored`.
 */
export function parseS3Event(event: unknown): ParsedS3Event {
  if (!isObject(event) || !Array.isArray(event.Records)) {
    if (isObject(event) && event.Event === 's3:TestEvent') return { ok: true, records: [], ignored: 0 };
    return fail('Not an S3 event notification: no "Records" array');
  }
  if (event.Records.length === 0) return fail('Not an S3 event notification: "Records" is empty');
  const parsed = s3EventSchema.safeParse(event);
  if (!parsed.success) {
    const [first] = parsed.error.issues;
    return fail(`Not a usable S3 event notification: ${pathText(first.path)} ${first.message}`);
  }
  const created = parsed.data.Records.filter((record) => record.eventName.startsWith('ObjectCreated:'));
  return { ok: true, records: created, ignored: parsed.data.Records.length - created.length };
}
