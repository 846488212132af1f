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
}

/** Where face records live (the images table); tests pass an in-memory one. */
export interface FaceStore {
  facesOfImage(imageId: string): Promise<StoredFace[]>;
  /** The records of these faces that exist; faces of other stacks' tables or deleted images are simply absent. */
  facesById(refs: readonly { imageId: string; faceId: string }[]): Promise<StoredFace[]>;
  putFace(face: StoredFace): Promise<void>;
  deleteFaceRecords(imageId: string, faceIds: readonly string[]): Promise<void>;
  /** The image's "faces being indexed" marker: set before IndexFaces, cleared once every face record is written. */
  markIndexing(imageId: string): Promise<void>;
  isIndexingMarked(imageId: string): Promise<boolean>;
  clearIndexingMark(imageId: string): Promise<void>;
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
  threshold: number;
  now: () => Date;
}

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
 * first loses the faces it had, in the collection and in the table, so a face is never indexed twice.
 * @returns the `people` section: one item per face, its box, and its personId and faceId
 * @throws PeopleLockBusyError (from the lock) when another run of the owner holds it too long
 */
export async function groupFaces(
  input: GroupFacesInput,
  collection: FaceCollection,
  store: FaceStore,
  lock: PeopleLock,
): Promise<AnalysisSection> {
  const owner = input.owner ?? UNOWNED;
  return lock.withOwnerLock(owner, async () => {
    await forgetFacesOfImage(input.imageId, collection, store);
    // Until the records below are written, only this marker tells a later forget that the collection may hold them.
    await store.markIndexing(input.imageId);
    const indexed = await collection.indexFaces(input.image, input.imageId);
    const indexedAt = input.now().toISOString();
    const records = indexed.map((face): StoredFace => ({
      ...face,
      imageId: input.imageId,
      owner,
      personId: face.faceId,
      indexedAt,
    }));
    // Written first, so a retry after a failure below still finds (and deletes) the vectors just indexed.
    for (const record of records) await store.putFace(record);
    await store.clearIndexingMark(input.imageId);
    const items: AnalysisSection['items'] = [];
    for (const record of records) {
      const personId = await personOf(record, input, collection, store);
      if (personId !== record.personId) await store.putFace({ ...record, personId });
      items.push({
        name: 'Person',
        confidence: record.confidence,
        boxes: [record.box],
        attributes: { personId, faceId: record.faceId },
      });
    }
    return { title: 'People', detector: GROUP_FACES_CALL, items };
  });
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

/**
 * Deletes an image's face vectors from the collection, then its face records, then its indexing marker (in that
 * order, so a retry after a failure still finds the records and the marker that name the vectors). The vectors are
 * those the records name, plus, when the marker is set (a run died between IndexFaces and its records), every face
 * the collection holds with the image's ExternalImageId.
 * @returns how many face vectors were deleted
 */
export async function forgetFacesOfImage(
  imageId: string,
  collection: Pick<FaceCollection, 'deleteFaces' | 'facesOfImage'>,
  store: FaceStore,
): Promise<number> {
  const recorded = (await store.facesOfImage(imageId)).map((face) => face.faceId);
  const marked = await store.isIndexingMarked(imageId);
  const faceIds = [...new Set([...recorded, ...(marked ? await collection.facesOfImage(imageId) : [])])];
  if (faceIds.length > 0) await collection.deleteFaces(faceIds);
  if (recorded.length > 0) await store.deleteFaceRecords(imageId, recorded);
  if (marked) await store.clearIndexingMark(imageId);
  return faceIds.length;
}
