import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3EventRecord } from 'aws-lambda';
import { AwsServiceError } from '../../edge/aws-error';
import { restXmlProtocol } from '../../edge/protocols/rest-xml';
import type { EdgeRequest, EdgeResponse, EdgeService } from '../../edge/types';
import type { S3Context } from './context';
import { dispatchS3 } from './dispatch';
import { applyLifecycle, type LifecycleOutcome, type LifecycleRule } from './lifecycle';
import { buildObjectCreatedRecord, buildObjectRemovedRecord, type ObjectCreatedEventName } from './event-record';
import { postObject } from './post-object';
import { MultipartStore } from './multipart';
import { computeChecksum } from './checksums';
import { parseS3Call } from './s3-request';
import { S3Store, type BucketInfo, type ObjectVersion } from './store';
import { createHash, randomUUID } from 'node:crypto';

/** Options of the local S3 service. */
export interface S3ServiceOptions {
  /** The stack's data folder; objects live under <dataDir>/s3. */
  dataDir: string;
  /** Region put in events and bucket answers (default us-east-1). */
  region?: string;
}

/** A stored object as the programmatic API reports it. */
export interface S3ObjectSummary {
  bucket: string;
  key: string;
  size: number;
  /** Without quotes, as in S3 events. */
  eTag: string;
  /** undefined when the bucket is not versioned. */
  versionId?: string;
  sequencer: string;
  lastModified: string;
  contentType?: string;
  metadata: Record<string, string>;
}

/** Receives each event record (ObjectCreated or ObjectRemoved) after the request that caused it has been answered. */
export type ObjectEventListener = (record: S3EventRecord) => void | Promise<void>;

/** The local S3: an edge service plus the programmatic API the runner, vision service and console use. */
export interface LocalS3Service extends EdgeService {
  /** Creates a bucket (idempotent); versioning true turns it on. @throws AwsServiceError InvalidBucketName. */
  createBucket(name: string, options?: { versioning?: boolean }): Promise<void>;
  /** Buckets and their settings. */
  listBuckets(): BucketInfo[];
  /** Stores an object as PutObject would, queueing ObjectCreated:Put. @throws AwsServiceError NoSuchBucket. */
  putObject(
    bucket: string,
    key: string,
    body: Buffer,
    options?: { contentType?: string; metadata?: Record<string, string> },
  ): Promise<S3ObjectSummary>;
  /** The bytes of the current (or given) version. @throws AwsServiceError NoSuchBucket, NoSuchKey, NoSuchVersion. */
  getObjectBytes(bucket: string, key: string, versionId?: string): Promise<Buffer>;
  /** Facts about the current (or given) version. @throws AwsServiceError NoSuchBucket, NoSuchKey, NoSuchVersion. */
  headObject(bucket: string, key: string, versionId?: string): S3ObjectSummary;
  /** Current objects in key order, optionally under a prefix. @throws AwsServiceError NoSuchBucket. */
  listObjects(bucket: string, options?: { prefix?: string }): S3ObjectSummary[];
  /** Subscribes to ObjectCreated records; returns the unsubscribe function. */
  onObjectCreated(listener: ObjectEventListener): () => void;
  /** Subscribes to ObjectRemoved records (DeleteObject, DeleteObjects); returns the unsubscribe function. */
  onObjectRemoved(listener: ObjectEventListener): () => void;
  /** Rebuilds the ObjectCreated:Put record of a stored object (for recovery after a crash). @throws AwsServiceError NoSuchKey. */
  objectCreatedRecord(bucket: string, key: string, versionId?: string): S3EventRecord;
  /** Resolves once every queued event has been handed to the listeners (and their promises settled). */
  drainEvents(): Promise<void>;
  /** Runs a bucket's lifecycle expiration rules as of `now` (default: the current time). @throws AwsServiceError NoSuchBucket. */
  applyLifecycle(bucket: string, rules: readonly LifecycleRule[], now?: Date): Promise<LifecycleOutcome>;
}

/**
 * Opens the local S3 under <dataDir>/s3 and returns its edge service and API.
 * Matches requests signed for "s3" (header or presigned query), path style or virtual-host (<bucket>.localhost).
 */
export async function createS3Service(options: S3ServiceOptions): Promise<LocalS3Service> {
  const region = options.region ?? 'us-east-1';
  const root = join(options.dataDir, 's3');
  const store = await S3Store.open(root);
  const multipart = new MultipartStore(join(root, 'multipart'));
  const listeners = { created: new Set<ObjectEventListener>(), removed: new Set<ObjectEventListener>() };
  let pending = 0;
  let drained: (() => void)[] = [];

  const deliver = (record: S3EventRecord) => {
    pending += 1;
    const kind = record.eventName.startsWith('ObjectRemoved:') ? 'removed' : 'created';
    // setImmediate: the response is written first, as S3 delivers events after the request has returned.
    setImmediate(() => {
      const runs = [...listeners[kind]].map(async (listener) => {
        try {
          await listener(record);
        } catch (error) {
          console.error(`[local s3] ${record.eventName} listener failed for ${record.s3.bucket.name}/${record.s3.object.key}:`, error);
        }
      });
      void Promise.all(runs).then(() => {
        pending -= 1;
        if (pending === 0) {
          const waiting = drained;
          drained = [];
          waiting.forEach((resolve) => resolve());
        }
      });
    });
  };

  const recordFor = (eventName: ObjectCreatedEventName, bucket: string, key: string, version: ObjectVersion) =>
    buildObjectCreatedRecord(
      eventName,
      {
        bucket,
        key,
        size: version.size,
        eTag: version.etag,
        versionId: version.versionId,
        sequencer: version.sequencer,
        eventTime: version.lastModified,
      },
      region,
      randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase(),
    );

  const ctx: S3Context = {
    store,
    multipart,
    region,
    emitCreated: (eventName, bucket, key, version) => deliver(recordFor(eventName, bucket, key, version)),
    emitRemoved: (bucket, key, result) => {
      if (!result.removed) return;
      const facts = { bucket, key, versionId: result.versionId, sequencer: result.removed.sequencer, eventTime: new Date().toISOString() };
      deliver(buildObjectRemovedRecord(result.removed.eventName, facts, region, randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()));
    },
  };

  const summary = (bucket: string, key: string, version: ObjectVersion): S3ObjectSummary => ({
    bucket,
    key,
    size: version.size,
    eTag: version.etag,
    versionId: version.versionId === 'null' ? undefined : version.versionId,
    sequencer: version.sequencer,
    lastModified: version.lastModified,
    contentType: version.contentType,
    metadata: version.metadata,
  });

  return {
    name: 's3',
    protocol: restXmlProtocol,
    // Only signed calls (header or presigned query): real buckets are private, so anonymous reads are not served.
    // A browser's presigned POST carries its signature inside the form, so a form POST to a bucket is S3's too.
    matches: (req) => req.signingService === 's3' || isFormPost(req),
    handle: (req) => handleS3(ctx, req),
    async createBucket(name, bucketOptions) {
      await store.createBucket(name, bucketOptions?.versioning ? 'Enabled' : undefined);
    },
    listBuckets: () => store.listBuckets(),
    async putObject(bucket, key, body, putOptions) {
      const version = await store.putObject(bucket, key, body, {
        etag: createHash('md5').update(body).digest('hex'),
        contentType: putOptions?.contentType ?? 'binary/octet-stream',
        metadata: Object.fromEntries(Object.entries(putOptions?.metadata ?? {}).map(([name, value]) => [name.toLowerCase(), value])),
        checksum: { algorithm: 'crc64nvme', value: await computeChecksum('crc64nvme', body) },
      });
      ctx.emitCreated('ObjectCreated:Put', bucket, key, version);
      return summary(bucket, key, version);
    },
    async getObjectBytes(bucket, key, versionId) {
      return readFile(store.blobPath(bucket, store.getVersion(bucket, key, versionId)));
    },
    headObject: (bucket, key, versionId) => summary(bucket, key, store.getVersion(bucket, key, versionId)),
    listObjects: (bucket, listOptions) =>
      store
        .listCurrent(bucket)
        .filter((entry) => entry.key.startsWith(listOptions?.prefix ?? ''))
        .map((entry) => summary(bucket, entry.key, entry.version)),
    onObjectCreated(listener) {
      listeners.created.add(listener);
      return () => listeners.created.delete(listener);
    },
    onObjectRemoved(listener) {
      listeners.removed.add(listener);
      return () => listeners.removed.delete(listener);
    },
    objectCreatedRecord: (bucket, key, versionId) => recordFor('ObjectCreated:Put', bucket, key, store.getVersion(bucket, key, versionId)),
    drainEvents: () => (pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => drained.push(resolve))),
    applyLifecycle: (bucket, rules, now = new Date()) => applyLifecycle(store, bucket, rules, now),
  };
}

/** A multipart/form-data POST to a bucket path: S3's PostObject (a presigned POST from a browser). */
function isFormPost(req: EdgeRequest): boolean {
  return (
    req.method === 'POST' &&
    /^multipart\/form-data/i.test(String(req.headers['content-type'] ?? '')) &&
    /^\/[^/?]+\/?$/.test(req.url.pathname)
  );
}

async function handleS3(ctx: S3Context, req: EdgeRequest): Promise<EdgeResponse> {
  if (isFormPost(req))
    return postObject(ctx, decodeURIComponent(req.url.pathname.replace(/^\/|\/$/g, '')), String(req.headers['content-type']), req.body);
  checkPresignedExpiry(req);
  return dispatchS3(ctx, parseS3Call(req));
}

/** Presigned URLs carry X-Amz-Date and X-Amz-Expires; past that moment S3 answers 403 AccessDenied. @throws AwsServiceError AccessDenied. */
function checkPresignedExpiry(req: EdgeRequest): void {
  checkSigV2Expiry(req);
  const date = req.url.searchParams.get('X-Amz-Date');
  const expires = req.url.searchParams.get('X-Amz-Expires');
  if (!date || !expires) return;
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  const seconds = Number(expires);
  if (!match || !Number.isInteger(seconds) || seconds < 1 || seconds > 604800) {
    throw new AwsServiceError(
      'AuthorizationQueryParametersError',
      400,
      'X-Amz-Expires must be between 1 and 604800 seconds, with a valid X-Amz-Date',
    );
  }
  const signedAt = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6]));
  if (Date.now() > signedAt + seconds * 1000) {
    throw new AwsServiceError('AccessDenied', 403, 'Request has expired', {
      'X-Amz-Expires': expires,
      Expires: new Date(signedAt + seconds * 1000).toISOString(),
      ServerTime: new Date().toISOString(),
    });
  }
}

/** A SigV2 presigned URL (AWS CLI v1 `s3 presign`) carries `Expires` in epoch seconds. @throws AwsServiceError AccessDenied. */
function checkSigV2Expiry(req: EdgeRequest): void {
  const expires = req.url.searchParams.get('Expires');
  if (expires === null || !req.url.searchParams.has('AWSAccessKeyId')) return;
  const seconds = Number(expires);
  if (!Number.isFinite(seconds) || Date.now() > seconds * 1000) {
    throw new AwsServiceError('AccessDenied', 403, 'Request has expired', {
      Expires: new Date(Number.isFinite(seconds) ? seconds * 1000 : 0).toISOString(),
      ServerTime: new Date().toISOString(),
    });
  }
}
