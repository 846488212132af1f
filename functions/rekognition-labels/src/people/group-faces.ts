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
}

/** The face collection calls (IndexFaces, SearchFaces, DeleteFaces) behind small functions. */
export interface FaceCollection {
  indexFaces(image: Image, imageId: string): Promise<IndexedFace[]>;
  searchFaces(faceId: string, threshold: number): Promise<FaceMatch[]>;
  deleteFaces(faceIds: readonly string[]): Promise<void>;
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
 * Indexes the image's faces in the collection and gives each a person: the person of the most similar face (at or
 * above `threshold`) that the same owner has in ANOTHER image, else a new person named after the face itself. Faces
 * of other owners are never matched (one collection serves the whole stack, so their matches are dropped here), and
 * two faces in one photo are never one person. A re-analysed image first loses the faces it had, in the collection
 * and in the table, so a face is never indexed twice.
 * @returns the `people` section: one item per face, its box, and its personId and faceId
 */
export async function groupFaces(input: GroupFacesInput, collection: FaceCollection, store: FaceStore): Promise<AnalysisSection> {
  await forgetFacesOfImage(input.imageId, collection, store);
  const owner = input.owner ?? UNOWNED;
  const indexed = await collection.indexFaces(input.image, input.imageId);
  const items: AnalysisSection['items'] = [];
  const indexedAt = input.now().toISOString();
  for (const face of indexed) {
    const personId = await personOf(face, owner, input, collection, store);
    await store.putFace({ ...face, imageId: input.imageId, owner, personId, indexedAt });
    items.push({
      name: 'Person',
      confidence: face.confidence,
      boxes: [face.box],
      attributes: { personId, faceId: face.faceId },
    });
  }
  return { title: 'People', detector: GROUP_FACES_CALL, items };
}

async function personOf(
  face: IndexedFace,
  owner: string,
  input: GroupFacesInput,
  collection: FaceCollection,
  store: FaceStore,
): Promise<string> {
  const matches = (await collection.searchFaces(face.faceId, input.threshold)).filter((match) => match.imageId !== input.imageId);
  if (matches.length === 0) return face.faceId;
  const records = new Map((await store.facesById(matches)).map((record) => [record.faceId, record]));
  const best = [...matches]
    .sort((a, b) => b.similarity - a.similarity)
    .find((match) => records.get(match.faceId)?.owner === owner && records.get(match.faceId)?.imageId === match.imageId);
  return best ? records.get(best.faceId)!.personId : face.faceId;
}

/**
 * Deletes an image's face vectors from the collection, then its face records (in that order, so a retry after a
 * failure still finds the records that name the vectors).
 * @returns how many faces were removed
 */
export async function forgetFacesOfImage(imageId: string, collection: Pick<FaceCollection, 'deleteFaces'>, store: FaceStore): Promise<number> {
  const faces = await store.facesOfImage(imageId);
  if (faces.length === 0) return 0;
  const faceIds = faces.map((face) => face.faceId);
  await collection.deleteFaces(faceIds);
  await store.deleteFaceRecords(imageId, faceIds);
  return faceIds.length;
}
