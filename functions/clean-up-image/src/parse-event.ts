import {
  decodeObjectKey,
  imageIdFor,
  isImageId,
  isObject,
  MalformedObjectKeyError,
  parseWith,
  revisionFor,
  s3EventSchema,
  sourceOrderFor,
} from '@smart-image-pipeline/contracts';
import { InvalidCleanUpEventError } from './errors';
import type { CleanUpRequest } from './types';

/** Which uploads belong to this stack: records of other buckets or outside the prefix are ignored. */
export interface UploadsLocation {
  readonly uploadsBucketName: string;
  readonly uploadsPrefix: string;
}

/** The detail-types whose images may have older revisions to prune. */
const STORED_DETAIL_TYPES = new Set(['Image Processed', 'Image Failed']);

/**
 * Turns an invocation event into clean-up work: an S3 notification's ObjectRemoved records (URL-encoded keys decoded
 * once) or an EventBridge "Image Processed"/"Image Failed" event. Records of other events, other buckets, outside the
 * prefix, and keys that are not valid URL encoding are left out; they name nothing this stack keeps.
 * @throws InvalidCleanUpEventError when the event is neither.
 */
export function parseCleanUpEvent(event: unknown, uploads: UploadsLocation): CleanUpRequest[] {
  if (isObject(event) && typeof event['detail-type'] === 'string') return fromImageEvent(event);
  const parsed = parseWith(
    s3EventSchema,
    event,
    (problems) => new InvalidCleanUpEventError(`Not an S3 event notification or an image event: ${problems.join('; ')}`),
  );
  const requests: CleanUpRequest[] = [];
  for (const record of parsed.Records) {
    if (!record.eventName.startsWith('ObjectRemoved:') || record.bucket !== uploads.uploadsBucketName) continue;
    let key: string;
    try {
      key = decodeObjectKey(record.encodedKey);
    } catch (error) {
      if (error instanceof MalformedObjectKeyError) continue;
      throw error;
    }
    if (!key.startsWith(uploads.uploadsPrefix) || key.endsWith('/')) continue;
    if (record.sequencer === '')
      throw new InvalidCleanUpEventError(`ObjectRemoved record for ${JSON.stringify(key.slice(0, 200))} has no sequencer`);
    requests.push({
      kind: 'removed',
      bucket: record.bucket,
      key,
      imageId: imageIdFor(record.bucket, key),
      deleteOrder: sourceOrderFor(record.sequencer),
      // A delete marker's versionId names the marker, not the bytes that were uploaded.
      deletedRevision:
        record.eventName === 'ObjectRemoved:Delete' && record.versionId ? revisionFor(record.bucket, key, record.versionId) : null,
    });
  }
  return requests;
}

function fromImageEvent(event: Record<string, unknown>): CleanUpRequest[] {
  const detailType = String(event['detail-type']);
  const imageId = isObject(event.detail) ? event.detail.imageId : undefined;
  if (!STORED_DETAIL_TYPES.has(detailType))
    throw new InvalidCleanUpEventError(`An event of detail-type ${JSON.stringify(detailType.slice(0, 80))} names no stored image`);
  if (!isImageId(imageId)) throw new InvalidCleanUpEventError(`${detailType} event without a valid detail.imageId`);
  return [{ kind: 'stored', imageId }];
}
