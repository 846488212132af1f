import { randomUUID } from 'node:crypto';
import type { EmbedFacesResponse } from '../../vision/face-embeddings';
import { invalidParameter } from '../../vision/errors';
import {
  LOCAL_FACE_MODEL_VERSION,
  COLLECTION_ID_PATTERN,
  similarityOf,
  type FaceCollectionStore,
  type StoredCollectionFace,
} from './face-collections';
import { optionalNumber, parseImage, type ImageSource } from './request';

/** The face-collection calls this service answers. */
export const COLLECTION_OPERATIONS = [
  'CreateCollection',
  'DeleteCollection',
  'DescribeCollection',
  'ListCollections',
  'IndexFaces',
  'SearchFaces',
  'SearchFacesByImage',
  'ListFaces',
  'DeleteFaces',
] as const;
export type CollectionOperation = (typeof COLLECTION_OPERATIONS)[number];

/** What the operations need besides the store: the faces (with vectors) of an image. */
export type EmbedFaces = (image: ImageSource) => Promise<EmbedFacesResponse>;

const EXTERNAL_IMAGE_ID = /^[a-zA-Z0-9_.\-:]{1,255}$/;
const FACE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const QUALITY_FILTERS = ['NONE', 'AUTO', 'LOW', 'MEDIUM', 'HIGH'];
/** Below this detector confidence a face is not indexed unless QualityFilter is NONE (the local stand-in for quality). */
const MIN_QUALITY_CONFIDENCE = 50;

/** Rekognition's `Face`: the stored face without its vector. */
function publicFace(face: StoredCollectionFace) {
  const { embedding: _embedding, ...rest } = face;
  return rest;
}

export function isCollectionOperation(name: string): name is CollectionOperation {
  return (COLLECTION_OPERATIONS as readonly string[]).includes(name);
}

/**
 * Answers one face-collection call in Rekognition's shapes and errors (ResourceNotFoundException for a missing
 * collection, ResourceAlreadyExistsException, InvalidParameterException for bad input, an unknown FaceId or an image
 * without a face). Faces are compared by the cosine similarity of their local embeddings (face-collections.ts).
 */
export async function runCollectionOperation(
  operation: CollectionOperation,
  body: Record<string, unknown>,
  store: FaceCollectionStore,
  embed: EmbedFaces,
): Promise<object> {
  if (operation === 'ListCollections') {
    const ids = await store.list();
    return { CollectionIds: ids, FaceModelVersions: ids.map(() => LOCAL_FACE_MODEL_VERSION) };
  }
  const collectionId = requireCollectionId(body.CollectionId);
  switch (operation) {
    case 'CreateCollection': {
      const created = await store.create(collectionId);
      return { StatusCode: 200, CollectionArn: created.arn, FaceModelVersion: LOCAL_FACE_MODEL_VERSION };
    }
    case 'DeleteCollection':
      await store.delete(collectionId);
      return { StatusCode: 200 };
    case 'DescribeCollection': {
      const file = await store.get(collectionId);
      return {
        FaceCount: file.faces.length,
        FaceModelVersion: LOCAL_FACE_MODEL_VERSION,
        CollectionARN: file.arn,
        CreationTimestamp: Date.parse(file.createdAt) / 1000,
        UserCount: 0,
      };
    }
    case 'IndexFaces':
      return indexFaces(collectionId, body, store, embed);
    case 'SearchFaces': {
      const faceId = requireString(body.FaceId, 'FaceId', FACE_ID);
      const file = await store.get(collectionId);
      const searched = file.faces.find((face) => face.FaceId === faceId);
      if (!searched) throw invalidParameter('faceId was not found in the collection.');
      const matches = rank(file.faces, searched.embedding, searchLimits(body), faceId);
      return { SearchedFaceId: faceId, FaceMatches: matches, FaceModelVersion: LOCAL_FACE_MODEL_VERSION };
    }
    case 'SearchFacesByImage': {
      const limits = searchLimits(body);
      qualityFilter(body.QualityFilter);
      const file = await store.get(collectionId);
      const [largest] = (await embed(parseImage(body.Image))).Faces;
      if (!largest) throw invalidParameter('There are no faces in the image. Should be at least 1.');
      return {
        SearchedFaceBoundingBox: largest.BoundingBox,
        SearchedFaceConfidence: largest.Confidence,
        FaceMatches: rank(file.faces, largest.Embedding, limits),
        FaceModelVersion: LOCAL_FACE_MODEL_VERSION,
      };
    }
    case 'ListFaces':
      return listFaces(collectionId, body, store);
    case 'DeleteFaces': {
      const ids = body.FaceIds;
      if (!Array.isArray(ids) || ids.length < 1 || ids.length > 4096 || !ids.every((id) => typeof id === 'string' && FACE_ID.test(id)))
        throw invalidParameter('FaceIds must be a list of 1 to 4096 face ids');
      const deleted = await store.remove(collectionId, ids as string[]);
      // As Rekognition: a face id the collection does not hold is reported, not an error (a deletion may repeat).
      const missing = [...new Set(ids as string[])].filter((id) => !deleted.includes(id));
      return { DeletedFaces: deleted, UnsuccessfulFaceDeletions: missing.map((FaceId) => ({ FaceId, Reasons: ['FACE_NOT_FOUND'] })) };
    }
  }
}

async function indexFaces(collectionId: string, body: Record<string, unknown>, store: FaceCollectionStore, embed: EmbedFaces) {
  const external =
    body.ExternalImageId === undefined ? undefined : requireString(body.ExternalImageId, 'ExternalImageId', EXTERNAL_IMAGE_ID);
  const maxFaces = optionalInteger(body.MaxFaces, 'MaxFaces', 1, 100);
  const filter = qualityFilter(body.QualityFilter);
  if (body.DetectionAttributes !== undefined && !Array.isArray(body.DetectionAttributes))
    throw invalidParameter('DetectionAttributes must be a list');
  await store.get(collectionId); // a missing collection fails before the image is analysed
  const faces = (await embed(parseImage(body.Image))).Faces;
  const unindexed: { Reasons: string[]; FaceDetail: object }[] = [];
  const accepted = faces.filter((face) => {
    if (filter !== 'NONE' && face.Confidence < MIN_QUALITY_CONFIDENCE) {
      unindexed.push({ Reasons: ['LOW_CONFIDENCE'], FaceDetail: { BoundingBox: face.BoundingBox, Confidence: face.Confidence } });
      return false;
    }
    return true;
  });
  // Faces come largest first, so MaxFaces keeps the largest, as Rekognition does.
  for (const face of accepted.splice(maxFaces ?? accepted.length)) {
    unindexed.push({ Reasons: ['EXCEEDS_MAX_FACES'], FaceDetail: { BoundingBox: face.BoundingBox, Confidence: face.Confidence } });
  }
  const imageId = randomUUID();
  const stored = await store.add(
    collectionId,
    accepted.map((face) => ({
      ImageId: imageId,
      ...(external ? { ExternalImageId: external } : {}),
      BoundingBox: face.BoundingBox,
      Confidence: face.Confidence,
      embedding: face.Embedding,
    })),
  );
  return {
    FaceRecords: stored.map((face) => ({
      Face: publicFace(face),
      FaceDetail: { BoundingBox: face.BoundingBox, Confidence: face.Confidence },
    })),
    FaceModelVersion: LOCAL_FACE_MODEL_VERSION,
    UnindexedFaces: unindexed,
  };
}

async function listFaces(collectionId: string, body: Record<string, unknown>, store: FaceCollectionStore) {
  const maxResults = optionalInteger(body.MaxResults, 'MaxResults', 0, 4096) ?? 1000;
  const start = body.NextToken === undefined ? 0 : Number(requireString(body.NextToken, 'NextToken', /^\d{1,9}$/));
  const wanted = body.FaceIds === undefined ? undefined : new Set(requireStringList(body.FaceIds, 'FaceIds'));
  const faces = (await store.get(collectionId)).faces.filter((face) => !wanted || wanted.has(face.FaceId));
  const page = faces.slice(start, start + maxResults);
  const next = start + page.length;
  return {
    Faces: page.map(publicFace),
    ...(next < faces.length ? { NextToken: String(next) } : {}),
    FaceModelVersion: LOCAL_FACE_MODEL_VERSION,
  };
}

/** The faces at or above the threshold, most similar first, at most MaxFaces, without the searched face itself. */
function rank(
  faces: readonly StoredCollectionFace[],
  vector: readonly number[],
  limits: { maxFaces: number; threshold: number },
  exclude?: string,
) {
  return faces
    .filter((face) => face.FaceId !== exclude)
    .map((face) => ({ Similarity: similarityOf(vector, face.embedding), Face: publicFace(face) }))
    .filter((match) => match.Similarity >= limits.threshold)
    .sort((a, b) => b.Similarity - a.Similarity)
    .slice(0, limits.maxFaces);
}

function searchLimits(body: Record<string, unknown>): { maxFaces: number; threshold: number } {
  return {
    maxFaces: optionalInteger(body.MaxFaces, 'MaxFaces', 1, 4096) ?? 4096,
    threshold: optionalNumber(body.FaceMatchThreshold, 'FaceMatchThreshold', 0, 100) ?? 80,
  };
}

function requireCollectionId(value: unknown): string {
  return requireString(value, 'CollectionId', COLLECTION_ID_PATTERN);
}

function requireString(value: unknown, name: string, pattern: RegExp): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw invalidParameter(`${name} is missing or malformed`);
  return value;
}

function requireStringList(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
    throw invalidParameter(`${name} must be a list of strings`);
  return value as string[];
}

function qualityFilter(value: unknown): string {
  if (value === undefined) return 'AUTO';
  if (typeof value !== 'string' || !QUALITY_FILTERS.includes(value))
    throw invalidParameter('QualityFilter must be NONE, AUTO, LOW, MEDIUM or HIGH');
  return value;
}

function optionalInteger(value: unknown, name: string, min: number, max: number): number | undefined {
  const number = optionalNumber(value, name, min, max);
  if (number !== undefined && !Number.isInteger(number)) throw invalidParameter(`${name} must be an integer`);
  return number;
}
