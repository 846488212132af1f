import { IMAGE_ID_PATTERN, PERCEPTUAL_HASH_PATTERN } from './ids';

/**
 * Every key the pipeline writes (docs/contracts.md "DynamoDB table" and "Processed bucket layout"). The writer
 * (StoreMetadata, ResizeImage, AnalyseImage) and the readers (console, tests) build them here, so the scheme has
 * one spelling.
 */

/** Sort key of the image item. */
export const IMAGE_SK = 'IMAGE';
/** Sort-key prefix of an image's label items. */
export const LABEL_SK_PREFIX = 'LABEL#';
/** Sort-key prefix of an image's face items (one per face indexed in the face collection). */
export const FACE_SK_PREFIX = 'FACE#';
/** Sort-key prefix of an image's perceptual-hash band items. */
export const PHASH_SK_PREFIX = 'PHASH#';
/** The overloaded index across all owners (admins' views). */
export const GSI1 = 'GSI1';
/**
 * The owner-scoped index: the same partitions as GSI1, each prefixed with `OWNER#<owner>#`, and the same sort key
 * attribute (GSI1SK), so a user's query can only ever read that user's partitions.
 */
export const GSI2 = 'GSI2';

/**
 * Status of an image item: SUCCEEDED and FAILED are final; QUARANTINED waits for a moderation review (variants
 * stored, never served); REJECTED is a reviewer's (or the review timeout's) no, with the variants deleted.
 */
export type ImageStatus = 'SUCCEEDED' | 'FAILED' | 'QUARANTINED' | 'REJECTED';

/** Returns the partition key shared by an image and all its search items. */
export function imagePk(imageId: string): string {
  return `IMAGE#${imageId}`;
}

/** Returns the sort key of one label item; the name keeps Rekognition's casing. */
export function labelSk(name: string): string {
  return `${LABEL_SK_PREFIX}${name}`;
}

/** Returns the sort key of one face item; faceId is the face collection's FaceId. */
export function faceSk(faceId: string): string {
  return `${FACE_SK_PREFIX}${faceId}`;
}

/**
 * The Query input (without paging) that reads one image's face items: the analysis step replaces them on re-analysis,
 * CleanUpImage deletes their vectors. Strongly consistent, so a face just written is never missed.
 */
export function imageFacesQuery(tableName: string, imageId: string) {
  return {
    TableName: tableName,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :face)',
    ExpressionAttributeValues: { ':pk': imagePk(imageId), ':face': FACE_SK_PREFIX },
    ConsistentRead: true,
  };
}

/**
 * Sort key of an analysis run's detections checkpoint (`IMAGE#<imageId>` / `DETECTIONS#<revision>`): the summary of
 * the Detect calls, written before the people step, so a retry of that step (the owner's people lock was busy) does
 * not pay for the same Detect calls again. Deleted once the people step is done; `expiresAt` removes a forgotten one.
 */
export function detectionsSk(revision: string): string {
  return `DETECTIONS#${revision}`;
}

/**
 * Sort key of an image's "faces being indexed" marker (`IMAGE#<imageId>` / `FACES_INDEXING`): written before
 * IndexFaces and deleted once every face record is written, so a run that died in between leaves a sign that the
 * collection may hold vectors of the image no record names (found then by ExternalImageId = imageId).
 */
export const FACES_INDEXING_SK = 'FACES_INDEXING';

/**
 * GSI2 partition of one owner's face items. There is no GSI1 partition for faces: people are never listed across
 * owners, so a user's faces can only be read through this partition.
 */
export function ownerFacesIndexPk(owner: string): string {
  return ownerIndexPk(owner, 'FACES');
}

/** GSI1SK of a face item: the person first, so `begins_with(<personId>#)` reads one person's faces, newest last. */
export function faceIndexSk(personId: string, indexedAt: string, imageId: string): string {
  return `${personId}#${indexedAt}#${imageId}`;
}

/** Returns the sort key of one perceptual-hash band item (band 0-3). */
export function phashSk(band: number): string {
  return `${PHASH_SK_PREFIX}${band}`;
}

/** GSI1 partition of the image items with one status (newest / failed images). */
export function statusIndexPk(status: ImageStatus): string {
  return `STATUS#${status}`;
}

/** GSI1 sort key of an image item: newest first when read backwards. */
export function statusIndexSk(updatedAt: string, imageId: string): string {
  return `${updatedAt}#${imageId}`;
}

/** GSI1 partition of a label: lower case, so searches need not know Rekognition's casing. */
export function labelIndexPk(name: string): string {
  return `LABEL#${name.toLowerCase()}`;
}

/** Formats a 0-100 confidence as ×1000, 6 digits, so string order is numeric order ("098100" for 98.1). */
export function confidenceKey(confidence: number): string {
  const scaled = Math.min(100_000, Math.max(0, Math.round(confidence * 1000)));
  return String(scaled).padStart(6, '0');
}

/** GSI1 sort key of a label item: most confident first when read backwards. */
export function labelIndexSk(confidence: number, imageId: string): string {
  return `${confidenceKey(confidence)}#${imageId}`;
}

/** Splits a 16-hex dHash into its four 16-bit bands (4 hex each), lower case. */
export function perceptualHashBands(hash: string): [string, string, string, string] {
  const h = hash.toLowerCase();
  return [h.slice(0, 4), h.slice(4, 8), h.slice(8, 12), h.slice(12, 16)];
}

/** The number of differing bits between two 64-bit perceptual hashes. @throws TypeError when either is not 16 hex. */
export function hammingDistance(a: string, b: string): number {
  if (!PERCEPTUAL_HASH_PATTERN.test(a) || !PERCEPTUAL_HASH_PATTERN.test(b))
    throw new TypeError('perceptual hashes must be 16 hex characters');
  let diff = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let count = 0;
  while (diff > 0n) {
    count += Number(diff & 1n);
    diff >>= 1n;
  }
  return count;
}

/** GSI1 partition of one hash band: every hash within Hamming distance 3 shares at least one. */
export function phashIndexPk(band: number, bandHex: string): string {
  return `PHASH#${band}#${bandHex.toLowerCase()}`;
}

/** The GSI2 partition that holds one owner's share of a GSI1 partition: `OWNER#<owner>#<GSI1 partition>`. */
export function ownerIndexPk(owner: string, globalPartition: string): string {
  return `OWNER#${owner}#${globalPartition}`;
}

/** GSI2 partition of one owner's image items with one status. */
export function ownerStatusIndexPk(owner: string, status: ImageStatus): string {
  return ownerIndexPk(owner, statusIndexPk(status));
}

/** GSI2 partition of one owner's label items. */
export function ownerLabelIndexPk(owner: string, name: string): string {
  return ownerIndexPk(owner, labelIndexPk(name));
}

/** GSI2 partition of one owner's hash-band items. */
export function ownerPhashIndexPk(owner: string, band: number, bandHex: string): string {
  return ownerIndexPk(owner, phashIndexPk(band, bandHex));
}

/** Reads the imageId that ends every GSI1 sort key (`…#<imageId>`, or the bare id of a hash band). */
export function imageIdFromIndexSk(sortKey: string): string | undefined {
  const candidate = sortKey.slice(sortKey.lastIndexOf('#') + 1);
  return IMAGE_ID_PATTERN.test(candidate) ? candidate : undefined;
}

/** Status of the image item a deleted upload leaves behind, so a late run of an older revision cannot revive it. */
export const DELETED_STATUS = 'DELETED';

/**
 * User metadata (x-amz-meta-source-order) on every object the pipeline writes to the processed bucket: the
 * sourceOrder of the upload revision it was made from, so a clean-up can tell older revisions from newer ones.
 */
export const SOURCE_ORDER_METADATA = 'source-order';

/**
 * The object tag on every raw Rekognition response: the processed bucket's lifecycle rule expires objects with it
 * after RawAnalysisRetentionDays (they hold face attributes; the summary in the table stays).
 */
export const RAW_ANALYSIS_TAG = Object.freeze({ key: 'retention', value: 'raw-analysis' });

/** Folder of all of an image's outputs (every revision) in the processed bucket. */
export function imagePrefix(imageId: string): string {
  return `images/${imageId}/`;
}

/** Folder of one revision's outputs in the processed bucket. */
export function revisionPrefix(imageId: string, revision: string): string {
  return `${imagePrefix(imageId)}${revision}/`;
}

/** Key of one variant in the processed bucket, e.g. images/<imageId>/<revision>/w256.webp. */
export function variantKey(imageId: string, revision: string, side: number, format: 'webp' | 'jpeg'): string {
  return `${revisionPrefix(imageId, revision)}w${side}.${format === 'jpeg' ? 'jpg' : 'webp'}`;
}

/** Key of the Rekognition-ready copy in the processed bucket. */
export function analysisImageKey(imageId: string, revision: string): string {
  return `${revisionPrefix(imageId, revision)}analysis.jpg`;
}

/** Key of one raw Rekognition response, e.g. images/<imageId>/<revision>/rekognition/detect-labels.json. */
export function rawResponseKey(imageId: string, revision: string, fileName: string): string {
  return `${revisionPrefix(imageId, revision)}rekognition/${fileName}`;
}

// ---- Video outputs (issue 14): under the revision's folder, so the clean-up removes them with the image's. ------

/** Folder of a video revision's outputs: the rendition, frame captures, sprite, HLS ladder and analysis clip. */
export function videoPrefix(imageId: string, revision: string): string {
  return `${revisionPrefix(imageId, revision)}video/`;
}

/**
 * MediaConvert names a file output `<destination base><NameModifier>.<extension>` (frame captures add
 * `.<7-digit index>`), so each output is given as a destination base here and its files are found under it.
 */
export const VIDEO_OUTPUT_BASES = Object.freeze({
  /** The H.264 MP4 rendition (≤ 720p): `rendition.mp4`. */
  rendition: 'rendition',
  /** The first minutes of a long video, when analysis is bounded: `analysis.mp4`. */
  analysisClip: 'analysis',
  /** Frame captures: `frame-poster.<n>.jpg` and `frame-thumb.<n>.jpg`. */
  frames: 'frame',
  /** The HLS ladder's master playlist: `hls/index.m3u8` (and its variants and segments beside it). */
  hls: 'hls/index',
});

/** S3 URI of one output base of a video revision, as a MediaConvert destination. */
export function videoDestination(bucket: string, imageId: string, revision: string, base: string): string {
  return `s3://${bucket}/${videoPrefix(imageId, revision)}${base}`;
}

/** Key of the H.264 MP4 rendition. */
export function videoRenditionKey(imageId: string, revision: string): string {
  return `${videoPrefix(imageId, revision)}${VIDEO_OUTPUT_BASES.rendition}.mp4`;
}

/** Key of the analysis clip (only for videos longer than the analysis bound). */
export function videoAnalysisClipKey(imageId: string, revision: string): string {
  return `${videoPrefix(imageId, revision)}${VIDEO_OUTPUT_BASES.analysisClip}.mp4`;
}

/** Key prefix of the poster frame captures (`frame-poster.0000000.jpg`, …). */
export function videoPosterCapturesPrefix(imageId: string, revision: string): string {
  return `${videoPrefix(imageId, revision)}${VIDEO_OUTPUT_BASES.frames}-poster.`;
}

/** Key prefix of the thumbnail frame captures (`frame-thumb.0000000.jpg`, …). */
export function videoThumbnailCapturesPrefix(imageId: string, revision: string): string {
  return `${videoPrefix(imageId, revision)}${VIDEO_OUTPUT_BASES.frames}-thumb.`;
}

/** Key of the thumbnail sprite sheet (one JPEG grid of every thumbnail). */
export function videoSpriteKey(imageId: string, revision: string): string {
  return `${videoPrefix(imageId, revision)}sprite.jpg`;
}

/** Key of the HLS master playlist (only when the HLS ladder is switched on). */
export function videoHlsKey(imageId: string, revision: string): string {
  return `${videoPrefix(imageId, revision)}${VIDEO_OUTPUT_BASES.hls}.m3u8`;
}
