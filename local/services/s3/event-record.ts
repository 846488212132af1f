import type { S3EventRecord } from 'aws-lambda';

/** ObjectCreated event names S3 emits for the calls this service supports. */
export type ObjectCreatedEventName = 'ObjectCreated:Put' | 'ObjectCreated:Post' | 'ObjectCreated:CompleteMultipartUpload' | 'ObjectCreated:Copy';

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

/** Builds one S3 event record (eventVersion 2.1) exactly as S3 delivers it to Lambda. */
export function buildObjectCreatedRecord(eventName: ObjectCreatedEventName, facts: CreatedObjectFacts, region: string, requestId: string): S3EventRecord {
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
      configurationId: 'local-object-created',
      bucket: { name: facts.bucket, ownerIdentity: { principalId: 'LOCALOWNER' }, arn: `arn:aws:s3:::${facts.bucket}` },
      object: {
        key: encodeEventKey(facts.key),
        size: facts.size,
        eTag: facts.eTag,
        ...(facts.versionId && facts.versionId !== 'null' ? { versionId: facts.versionId } : {}),
        sequencer: facts.sequencer,
      },
    },
  } as S3EventRecord;
}
