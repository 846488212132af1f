import { createHash } from 'node:crypto';

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

/** Returns the execution name `img-<imageId>-<revision>` (53 characters of [0-9a-z-]). */
export function executionNameFor(imageId: string, revision: string): string {
  return `img-${imageId}-${revision}`;
}

/**
 * Returns the S3 sequencer left-padded with 0 to 32 upper-case hex digits, so later uploads of
 * the same key compare greater as plain strings.
 * @throws RangeError when the sequencer is not 1-32 hex digits (the parser never lets one through).
 */
export function sourceOrderFor(sequencer: string): string {
  if (!/^[0-9A-Fa-f]{1,32}$/.test(sequencer)) throw new RangeError(`Not a sequencer: ${JSON.stringify(sequencer)}`);
  return sequencer.toUpperCase().padStart(32, '0');
}

/** Derives imageId, revision, execution name and sourceOrder for one decoded object version. */
export function identify(source: { bucket: string; key: string; versionId: string | null; sequencer: string }): ImageIdentity {
  const imageId = imageIdFor(source.bucket, source.key);
  const revision = revisionFor(source.bucket, source.key, source.versionId ?? source.sequencer);
  return { imageId, revision, executionName: executionNameFor(imageId, revision), sourceOrder: sourceOrderFor(source.sequencer) };
}
