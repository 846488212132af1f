import type { Image } from '@aws-sdk/client-rekognition';
import type { AnalysisSection, Box } from '@smart-image-pipeline/contracts';

/** A face the collection just indexed. */
export interface IndexedFace {
  faceId: string;
  box: Box;
  confidence: number;
}

/** A collection face that SearchFaces found similar, with the image it was indexed from (its ExternalImageId). */
export interface FaceMatch {
  faceId: string;
  imageId: string;
  similarity: number;
}

/** The table's record of one indexed face: which image and owner it came from and which person it belongs to. */
export interface StoredFace {
  faceId: string;
  imageId: string;
  owner: string;
  personId: string;
  box: Box;
  confidence: number;
  indexedAt: string;
  /** The run's upload (its sourceOrder); absent on records written before it was kept, which count as older than any. */
  sourceOrder?: string;
}

/** The image's "faces being indexed" marker, with the upload whose run set it (absent on markers set before that). */
export interface IndexingMark {
  sourceOrder?: string;
}

/** Where face records live (the images table); tests pass an in-memory one. */
export interface FaceStore {
  facesOfImage(imageId: string): Promise<StoredFace[]>;
  /** The records of these faces that exist; faces of other stacks' tables or deleted images are simply absent. */
  facesById(refs: readonly { imageId: string; faceId: string }[]): Promise<StoredFace[]>;
  putFace(face: StoredFace): Promise<void>;
  /**
   * Writes the face's record again (its new personId) only if the record still exists: a deletion of the image may
   * have removed it since it was written. @returns false when the record was gone (nothing written)
   */
  updateFace(face: StoredFace): Promise<boolean>;
  deleteFaceRecords(imageId: string, faceIds: readonly string[]): Promise<void>;
  /** The image's "faces being indexed" marker: set before IndexFaces, cleared once every face record is written. */
  markIndexing(imageId: string, sourceOrder: string | undefined): Promise<void>;
  indexingMark(imageId: string): Promise<IndexingMark | undefined>;
  clearIndexingMark(imageId: string): Promise<void>;
  /**
   * Whether the image is gone for a run of the upload `sourceOrder`: its image item (read strongly consistent) is a
   * later upload's or a deletion's after it (a higher sourceOrder, as StoreMetadata and CleanUpImage write it).
   * Without a sourceOrder, only a DELETED item counts.
   */
  isSuperseded(imageId: string, sourceOrder: string | undefined): Promise<boolean>;
}

/** The owner's people lock (contracts' withOwnerLock over the table); tests pass an in-memory one. */
export interface PeopleLock {
  withOwnerLock<T>(owner: string, work: () => Promise<T>): Promise<T>;
}

/** The face collection calls (IndexFaces, SearchFaces, DeleteFaces) behind small functions. */
export interface FaceCollection {
  indexFaces(image: Image, imageId: string): Promise<IndexedFace[]>;
  searchFaces(faceId: string, threshold: number): Promise<FaceMatch[]>;
  deleteFaces(faceIds: readonly string[]): Promise<void>;
  /** Every face the collection holds for the image (its ExternalImageId), records or not: a scan of the collection. */
  facesOfImage(imageId: string): Promise<string[]>;
}

export interface GroupFacesInput {
  imageId: string;
  /** absent for images uploaded without an owner; they are grouped among themselves as `unowned` */
  owner?: string;
  image: Image;
  /** The upload this run analyses (the execution's source.sourceOrder); absent only for callers outside the pipeline. */
  sourceOrder?: string;
  threshold: number;
  now: () => Date;
}

/** What grouping one image came to: its `people` section, or the image was gone (deleted or replaced) for the run. */
export type GroupFacesOutcome = { section: AnalysisSection } | { gone: 'before-indexing' | 'after-indexing' };

const GONE_AFTER_INDEXING: GroupFacesOutcome = { gone: 'after-indexing' };

/** The owner faces are grouped under when the image has none. */
export const UNOWNED = 'unowned';

/** The IndexFaces call recorded in the summary's `calls` (each SearchFaces per face follows it). */
export const GROUP_FACES_CALL = 'IndexFaces';

/**
 * Indexes the image's faces in the collection and gives each a person: the person of the OLDEST face record (earliest
 * `indexedAt`, then FaceId) among the face itself and its matches (at or above `threshold`) that the same owner has
 * in another image. All of it runs under the owner's people lock, so runs of one owner decide people one after the
 * other: a run sees every earlier run's faces with their final person, and two photos of one person analysed at the
 * same moment become one person (the second run joins the first one's). A match without a record (a vector whose run
 * died before writing it) is ignored. Faces of other owners are never matched (one collection serves the whole
 * stack, so their matches are dropped here), and two faces in one photo are never one person. A re-analysed image
 * first loses the faces its upload (or an earlier one) had, in the collection and in the table, so a face is never
 * indexed twice.
 *
 * A deletion of the image (CleanUpImage) does not take the lock, so it can run at any moment of this. It writes the
 * image's DELETED item first, then deletes the faces the records name. Here the records are written right after
 * IndexFaces, and only then is the image item read: if the deletion's item is there, this run deletes the vectors it
 * just indexed (by the FaceIds IndexFaces returned) and their records; if not, the deletion's item comes later, so
 * the deletion reads the records and deletes the vectors itself. Either way no vector of a deleted image is left.
 * The same holds when a later upload of the key was stored meanwhile: this run's faces would be a replaced image's.
 * A deletion after that check shows later as a SearchFaces failure for a deleted face or a face record gone before
 * its person is rewritten; the run then deletes what is left of its indexing the same way.
 * The image item is also read before IndexFaces: an image already deleted or replaced gets no IndexFaces call at all
 * (so a run that then dies, e.g. by its timeout, which is not retried, leaves nothing behind either).
 * @returns the `people` section (one item per face, its box, personId and faceId), or `gone` when the image was
 *   deleted or replaced: `before-indexing` (IndexFaces not called) or `after-indexing` (called; nothing of this run
 *   is left in the collection or the table)
 * @throws PeopleLockBusyError (from the lock) when another run of the owner holds it too long
 */
export async function groupFaces(
  input: GroupFacesInput,
  collection: FaceCollection,
  store: FaceStore,
  lock: PeopleLock,
): Promise<GroupFacesOutcome> {
  const owner = input.owner ?? UNOWNED;
  return lock.withOwnerLock(owner, async (): Promise<GroupFacesOutcome> => {
    await forgetFacesOfImage(input.imageId, collection, store, input.sourceOrder);
    if (await store.isSuperseded(input.imageId, input.sourceOrder)) return { gone: 'before-indexing' };
    // Until the records below are written, only this marker tells a later forget that the collection may hold them.
    await store.markIndexing(input.imageId, input.sourceOrder);
    const indexed = await collection.indexFaces(input.image, input.imageId);
    const indexedAt = input.now().toISOString();
    const records = indexed.map((face): StoredFace => ({
      ...face,
      imageId: input.imageId,
      owner,
      personId: face.faceId,
      indexedAt,
      ...(input.sourceOrder ? { sourceOrder: input.sourceOrder } : {}),
    }));
    // Written first, so a retry after a failure below still finds (and deletes) the vectors just indexed, and so a
    // deletion whose DELETED item comes after the check below finds them too.
    for (const record of records) await store.putFace(record);
    if (await store.isSuperseded(input.imageId, input.sourceOrder)) {
      await deleteIndexed(input.imageId, records, collection, store);
      return GONE_AFTER_INDEXING;
    }
    await store.clearIndexingMark(input.imageId);
    const items: AnalysisSection['items'] = [];
    for (const record of records) {
      let personId: string;
      try {
        personId = await personOf(record, input, collection, store);
      } catch (error) {
        // SearchFaces fails for a face a deletion removed meanwhile (InvalidParameterException): then the image is
        // gone, and what the deletion may not have seen yet goes here.
        if (!(await store.isSuperseded(input.imageId, input.sourceOrder))) throw error;
        await deleteIndexed(input.imageId, records, collection, store);
        return GONE_AFTER_INDEXING;
      }
      // The record is gone only if a deletion of the image removed it after the check above: not written back then.
      if (personId !== record.personId && !(await store.updateFace({ ...record, personId }))) {
        await deleteIndexed(input.imageId, records, collection, store);
        return GONE_AFTER_INDEXING;
      }
      items.push({
        name: 'Person',
        confidence: record.confidence,
        boxes: [record.box],
        attributes: { personId, faceId: record.faceId },
      });
    }
    return { section: { title: 'People', detector: GROUP_FACES_CALL, items } };
  });
}

/** Undoes this run's indexing: its vectors (by the FaceIds IndexFaces returned), then their records, then the marker. */
async function deleteIndexed(imageId: string, records: readonly StoredFace[], collection: FaceCollection, store: FaceStore) {
  const faceIds = records.map((record) => record.faceId);
  if (faceIds.length > 0) {
    await collection.deleteFaces(faceIds);
    await store.deleteFaceRecords(imageId, faceIds);
  }
  await store.clearIndexingMark(imageId);
}

const olderFirst = (a: StoredFace, b: StoredFace): number =>
  a.indexedAt === b.indexedAt ? a.faceId.localeCompare(b.faceId) : a.indexedAt.localeCompare(b.indexedAt);

async function personOf(face: StoredFace, input: GroupFacesInput, collection: FaceCollection, store: FaceStore): Promise<string> {
  const matches = (await collection.searchFaces(face.faceId, input.threshold)).filter((match) => match.imageId !== input.imageId);
  const found = new Map((await store.facesById(matches)).map((record) => [record.faceId, record]));
  // A record must be the match's own (same image) and the same owner's.
  const candidates = matches.flatMap((match) => {
    const record = found.get(match.faceId);
    return record && record.imageId === match.imageId && record.owner === face.owner ? [record] : [];
  });
  return [face, ...candidates].sort(olderFirst)[0].personId;
}

/** Whether an item of the upload `order` belongs to uploads up to `upTo` (no bound, or no order on either: it does). */
export function isUpTo(order: string | undefined, upTo: string | undefined): boolean {
  return upTo === undefined || order === undefined || order <= upTo;
}

/**
 * Deletes an image's face vectors from the collection, then its face records, then its indexing marker (in that
 * order, so a retry after a failure still finds the records and the marker that name the vectors). The vectors are
 * those the records name, plus, when the marker is set (a run died between IndexFaces and its records), every face
 * the collection holds with the image's ExternalImageId. With `upTo` (a run's or a deletion's sourceOrder), faces
 * and a marker of a later upload of the key are left to that upload.
 * @returns how many face vectors were deleted
 */
export async function forgetFacesOfImage(
  imageId: string,
  collection: Pick<FaceCollection, 'deleteFaces' | 'facesOfImage'>,
  store: FaceStore,
  upTo?: string,
): Promise<number> {
  const faces = await store.facesOfImage(imageId);
  const recorded = faces.filter((face) => isUpTo(face.sourceOrder, upTo)).map((face) => face.faceId);
  const later = new Set(faces.filter((face) => !isUpTo(face.sourceOrder, upTo)).map((face) => face.faceId));
  const mark = await store.indexingMark(imageId);
  const marked = mark !== undefined && isUpTo(mark.sourceOrder, upTo);
  const unrecorded = marked ? (await collection.facesOfImage(imageId)).filter((faceId) => !later.has(faceId)) : [];
  const faceIds = [...new Set([...recorded, ...unrecorded])];
  if (faceIds.length > 0) await collection.deleteFaces(faceIds);
  if (recorded.length > 0) await store.deleteFaceRecords(imageId, recorded);
  if (marked) await store.clearIndexingMark(imageId);
  return faceIds.length;
}
