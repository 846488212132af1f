import type { S3EventRecord } from 'aws-lambda';
import type { LocalApp, LocalFunction, LocalS3Event } from '../template/types';

/** The functions whose S3 event (bucket, event type, prefix and suffix filter) matches a record. */
export function matchingFunctions(app: LocalApp, record: S3EventRecord): LocalFunction[] {
  return app.functions.filter((fn) => fn.s3Events.some((event) => matches(event, record)));
}

/** Whether a notification configuration selects the record; keys are matched decoded, as S3 matches them. */
export function matches(event: LocalS3Event, record: S3EventRecord): boolean {
  if (record.s3.bucket.name !== event.bucketName) return false;
  const type = `s3:${record.eventName}`;
  const typeOk = event.events.some((pattern) => (pattern.endsWith('*') ? type.startsWith(pattern.slice(0, -1)) : type === pattern));
  const key = decodeKey(record.s3.object.key);
  return typeOk && key.startsWith(event.prefix) && key.endsWith(event.suffix);
}

function decodeKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    return encoded;
  }
}
