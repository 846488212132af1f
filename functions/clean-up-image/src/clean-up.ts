import { DELETED_STATUS, IMAGE_SK, imagePk } from '@smart-image-pipeline/contracts';
import type { CleanUpOutcome, RevisionFolder, RevisionStored, UploadRemoved } from './types';

/** The logging calls the core needs; Powertools' Logger fits. */
export interface Log {
  info(message: string, ...extra: Record<string, unknown>[]): void;
}

/** The image item fields the clean-up reads. */
export interface StoredImage {
  readonly revision: string;
  readonly sourceOrder: string;
  readonly status: string;
}

/** What the clean-up core works with: the table and both buckets, behind small calls tests can fake. */
export interface CleanUpDeps {
  /** Whether the upload still has a current version (a delete of an old version leaves the image in place). */
  uploadExists(bucket: string, key: string): Promise<boolean>;
  readImage(imageId: string): Promise<StoredImage | null>;
  /**
   * Writes the DELETED item unless the stored one comes from a later upload (sourceOrder above `deleteOrder`).
   * @returns false when a later upload owns the image.
   */
  putTombstone(imageId: string, deleteOrder: string): Promise<boolean>;
  /** Deletes the image's other items (labels, hash bands, …) written by revisions not after `order`; returns how many. */
  deleteChildItems(imageId: string, order: string): Promise<number>;
  listRevisionFolders(imageId: string): Promise<RevisionFolder[]>;
  /** The sourceOrder the folder's outputs were made from (their metadata), or undefined for outputs without it. */
  folderSourceOrder(folder: RevisionFolder): Promise<string | undefined>;
  deleteObjects(keys: readonly string[]): Promise<void>;
  /**
   * Deletes the image's face vectors from the face collection (its FACE# items name them; deleteChildItems removes
   * the items afterwards, so a failed call is retried with the items still there), those of uploads up to `order`
   * only. Called after putTombstone: a grouping run still indexing reads that item after IndexFaces and deletes its
   * own vectors, so nothing is left whichever finishes first. @returns how many faces
   */
  deleteFaceVectors(imageId: string, order: string): Promise<number>;
  readonly logger: Log;
}

/**
 * Forgets a deleted upload: a DELETED item (so a late run of the deleted bytes cannot bring it back), no search
 * items, no face vectors in the face collection, and no variants, analysis copy or raw Rekognition responses (which
 * hold face attributes) of any revision up to the deletion. An upload made after the deletion, even one whose run is still going, keeps what it wrote. When
 * only one old version of a still-present upload was deleted, only that revision's outputs go.
 */
export async function removeUpload(request: UploadRemoved, deps: CleanUpDeps): Promise<CleanUpOutcome> {
  const base = { imageId: request.imageId, deletedItems: 0, deletedObjects: 0 };
  if (await deps.uploadExists(request.bucket, request.key)) {
    if (request.deletedRevision === null) return { ...base, result: 'version-removed' };
    const folders = (await deps.listRevisionFolders(request.imageId)).filter((folder) => folder.revision === request.deletedRevision);
    const stored = await deps.readImage(request.imageId);
    // The stored revision still holds the image item; its outputs stay with it.
    const removable = folders.filter((folder) => folder.revision !== stored?.revision);
    return { ...base, result: 'version-removed', deletedObjects: await deleteFolders(removable, deps) };
  }
  if (!(await deps.putTombstone(request.imageId, request.deleteOrder))) {
    deps.logger.info('A later upload owns the image; nothing removed', { imageId: request.imageId, key: request.key });
    return { ...base, result: 'newer-upload-kept' };
  }
  const deletedFaces = await deps.deleteFaceVectors(request.imageId, request.deleteOrder);
  const deletedItems = await deps.deleteChildItems(request.imageId, request.deleteOrder);
  const folders = await foldersUpTo(request.imageId, request.deleteOrder, deps);
  return { ...base, result: 'image-removed', deletedItems, deletedObjects: await deleteFolders(folders, deps), deletedFaces };
}

/**
 * Deletes the outputs of every revision older than the one the image item holds now; the stored revision's
 * outputs and those of a later upload still being processed stay.
 */
export async function pruneSupersededRevisions(request: RevisionStored, deps: CleanUpDeps): Promise<CleanUpOutcome> {
  const base = { imageId: request.imageId, deletedItems: 0, deletedObjects: 0 };
  const stored = await deps.readImage(request.imageId);
  if (stored === null || stored.status === DELETED_STATUS) return { ...base, result: 'nothing-stored' };
  const older = (await foldersUpTo(request.imageId, stored.sourceOrder, deps)).filter((folder) => folder.revision !== stored.revision);
  return { ...base, result: 'revisions-pruned', deletedObjects: await deleteFolders(older, deps) };
}

/** The revision folders made from uploads up to `order`; folders without the metadata predate it and count as old. */
async function foldersUpTo(imageId: string, order: string, deps: CleanUpDeps): Promise<RevisionFolder[]> {
  const folders = await deps.listRevisionFolders(imageId);
  const kept: RevisionFolder[] = [];
  for (const folder of folders) {
    const folderOrder = await deps.folderSourceOrder(folder);
    if (folderOrder === undefined || folderOrder <= order) kept.push(folder);
  }
  return kept;
}

async function deleteFolders(folders: readonly RevisionFolder[], deps: CleanUpDeps): Promise<number> {
  const keys = folders.flatMap((folder) => folder.keys);
  if (keys.length > 0) await deps.deleteObjects(keys);
  return keys.length;
}

/** The image item a deletion leaves: no index keys (never listed), and a TTL after which DynamoDB removes it. */
export function tombstoneItem(imageId: string, deleteOrder: string, now: Date, days: number): Record<string, unknown> {
  return {
    PK: imagePk(imageId),
    SK: IMAGE_SK,
    type: 'IMAGE',
    imageId,
    status: DELETED_STATUS,
    revision: 'deleted',
    sourceOrder: deleteOrder,
    deletedAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + days * 86_400,
  };
}
