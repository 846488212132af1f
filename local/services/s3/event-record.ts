import type { S3EventRecord } from 'aws-lambda';

/** ObjectCreated event names S3 emits for the calls this service supports. */
export type ObjectCreatedEventName =
  'ObjectCreated:Put' | 'ObjectCreated:Post' | 'ObjectCreated:CompleteMultipartUpload' | 'ObjectCreated:Copy';

/** ObjectRemoved event names: a version deleted for good, or a delete marker put on top of a versioned key. */
export type ObjectRemovedEventName = 'ObjectRemoved:Delete' | 'ObjectRemoved:DeleteMarkerCreated';

/**
 * Encodes a key as S3 does in event notifications: form encoding (space as "+"), with "/" and the
 * unreserved characters A-Z a-z 0-9 . - _ * kept as they are.
 */
export function encodeEventKey(key: string): string {
  let encoded = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-_*/]/.test(char)) encoded += char;
    else if (char === ' ') encoded += '+';
    else encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/** What an event record needs about the stored object. */
export interface CreatedObjectFacts {
  bucket: string;
  key: string;
  size: number;
  eTag: string;
  /** Omitted from the record when the bucket is not versioned, as S3 does. */
  versionId?: string;
  sequencer: string;
  eventTime: string;
}

/** Builds one ObjectCreated record (eventVersion 2.1) exactly as S3 delivers it to Lambda. */
export function buildObjectCreatedRecord(
  eventName: ObjectCreatedEventName,
  facts: CreatedObjectFacts,
  region: string,
  requestId: string,
): S3EventRecord {
  return buildRecord(eventName, facts, region, requestId, {
    key: encodeEventKey(facts.key),
    size: facts.size,
    eTag: facts.eTag,
    ...(facts.versionId && facts.versionId !== 'null' ? { versionId: facts.versionId } : {}),
    sequencer: facts.sequencer,
  });
}

/** What an ObjectRemoved record says about the deletion: S3 sends no size or eTag for it. */
export interface RemovedObjectFacts {
  bucket: string;
  key: string;
  /** The version deleted, or the delete marker's version; omitted when the bucket is not versioned. */
  versionId?: string;
  sequencer: string;
  eventTime: string;
}

/** Builds one ObjectRemoved record as S3 delivers it to Lambda. */
export function buildObjectRemovedRecord(
  eventName: ObjectRemovedEventName,
  facts: RemovedObjectFacts,
  region: string,
  requestId: string,
): S3EventRecord {
  return buildRecord(eventName, facts, region, requestId, {
    key: encodeEventKey(facts.key),
    ...(facts.versionId && facts.versionId !== 'null' ? { versionId: facts.versionId } : {}),
    sequencer: facts.sequencer,
  });
}

function buildRecord(
  eventName: string,
  facts: { bucket: string; eventTime: string },
  region: string,
  requestId: string,
  object: Record<string, unknown>,
): S3EventRecord {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: region,
    eventTime: facts.eventTime,
    eventName,
    userIdentity: { principalId: 'AWS:LOCALUSER' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': requestId, 'x-amz-id-2': `local/${requestId}` },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'local-notification',
      bucket: { name: facts.bucket, ownerIdentity: { principalId: 'LOCALOWNER' }, arn: `arn:aws:s3:::${facts.bucket}` },
      object,
    },
  } as S3EventRecord;
}
