import { InvalidS3EventError } from './errors';
import type { ObjectCreatedRecord } from './types';

/** Result of reading an invocation payload: usable records, or why it is not an S3 event. */
export type ParsedS3Event =
  | { readonly ok: true; readonly records: readonly ObjectCreatedRecord[]; readonly ignored: number }
  | { readonly ok: false; readonly error: InvalidS3EventError };

const SEQUENCER = /^[0-9A-Fa-f]{1,32}$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(value: unknown, name: string): unknown {
  return isObject(value) ? value[name] : undefined;
}

function fail(message: string): ParsedS3Event {
  return { ok: false, error: new InvalidS3EventError(message) };
}

// S3 writes "null" as the versionId when versioning is suspended; that is no version at all, and
// treating it as one would give every re-upload the same revision.
function readVersionId(value: unknown): string | null {
  return typeof value === 'string' && value !== '' && value !== 'null' ? value : null;
}

function readRecord(raw: unknown, index: number): ObjectCreatedRecord | string {
  const where = `Records[${index}]`;
  if (!isObject(raw)) return `${where} is not an object`;
  if (raw.eventSource !== 'aws:s3') return `${where}.eventSource is ${(JSON.stringify(raw.eventSource) ?? 'missing').slice(0, 100)}, not "aws:s3"`;
  const eventName = raw.eventName;
  if (typeof eventName !== 'string') return `${where}.eventName is missing`;
  const s3 = raw.s3;
  const bucket = field(field(s3, 'bucket'), 'name');
  const object = field(s3, 'object');
  const key = field(object, 'key');
  const size = field(object, 'size');
  const sequencer = field(object, 'sequencer');
  const eTag = field(object, 'eTag');
  const eventTime = raw.eventTime;
  if (typeof bucket !== 'string' || bucket === '') return `${where}.s3.bucket.name is missing`;
  if (typeof key !== 'string' || key === '') return `${where}.s3.object.key is missing`;
  // Only ObjectCreated records need the remaining fields; others are ignored by the caller.
  const isCreated = eventName.startsWith('ObjectCreated:');
  if (isCreated && (typeof size !== 'number' || !Number.isFinite(size) || size < 0)) return `${where}.s3.object.size is not a byte count`;
  if (isCreated && (typeof sequencer !== 'string' || !SEQUENCER.test(sequencer))) return `${where}.s3.object.sequencer is not 1-32 hex digits`;
  const time = typeof eventTime === 'string' ? Date.parse(eventTime) : Number.NaN;
  if (isCreated && Number.isNaN(time)) return `${where}.eventTime is not a timestamp`;
  return {
    eventName,
    eventTime: isCreated ? new Date(time).toISOString() : '',
    bucket,
    encodedKey: key,
    size: typeof size === 'number' ? size : 0,
    eTag: typeof eTag === 'string' ? eTag : null,
    versionId: readVersionId(field(object, 'versionId')),
    sequencer: typeof sequencer === 'string' ? sequencer.toUpperCase() : '',
  };
}

/**
 * Reads an invocation payload as an S3 event notification without ever throwing: a non-S3
 * payload comes back as `{ ok: false, error }` with a message saying what is wrong.
 * Records that are not ObjectCreated (e.g. ObjectRemoved) are counted in `ignored`.
 */
export function parseS3Event(event: unknown): ParsedS3Event {
  const records = field(event, 'Records');
  if (!Array.isArray(records)) {
    if (field(event, 'Event') === 's3:TestEvent') return { ok: true, records: [], ignored: 0 };
    return fail('Not an S3 event notification: no "Records" array');
  }
  if (records.length === 0) return fail('Not an S3 event notification: "Records" is empty');
  const usable: ObjectCreatedRecord[] = [];
  let ignored = 0;
  for (let index = 0; index < records.length; index += 1) {
    const record = readRecord(records[index], index);
    if (typeof record === 'string') return fail(`Not a usable S3 event notification: ${record}`);
    if (record.eventName.startsWith('ObjectCreated:')) usable.push(record);
    else ignored += 1;
  }
  return { ok: true, records: usable, ignored };
}
