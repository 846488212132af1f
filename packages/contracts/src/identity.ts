import { createHash } from 'node:crypto';
import { executionNameFor, sourceOrderFor } from './ids';

/** The ids that docs/contracts.md "Identity" derives from one S3 object version. */
export interface ImageIdentity {
  readonly imageId: string;
  readonly revision: string;
  readonly executionName: string;
  readonly sourceOrder: string;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Returns the image id: the first 128 bits of SHA-256 of "<bucket>/<decoded key>", as 32 lowercase hex. */
export function imageIdFor(bucket: string, key: string): string {
  return sha256Hex(`${bucket}/${key}`).slice(0, 32);
}

/** Returns the revision: the first 64 bits of SHA-256 of "<bucket>/<key>#<versionId or sequencer>", as 16 lowercase hex. */
export function revisionFor(bucket: string, key: string, versionOrSequencer: string): string {
  return sha256Hex(`${bucket}/${key}#${versionOrSequencer}`).slice(0, 16);
}

/**
 * Derives imageId, revision, execution name and sourceOrder for one decoded object version.
 * @throws RangeError when the sequencer is not 1-32 hex digits.
 */
export function identify(source: { bucket: string; key: string; versionId: string | null; sequencer: string }): ImageIdentity {
  const imageId = imageIdFor(source.bucket, source.key);
  const revision = revisionFor(source.bucket, source.key, source.versionId ?? source.sequencer);
  return { imageId, revision, executionName: executionNameFor(imageId, revision), sourceOrder: sourceOrderFor(source.sequencer) };
}
