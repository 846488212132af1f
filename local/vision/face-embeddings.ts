import type { FaceResult } from '@vladmandic/human';
import type { RatioBox } from './request';

/** One face with the vector the collection operations compare: Human's face-description (faceres) embedding. */
export interface EmbeddedFace {
  BoundingBox: RatioBox;
  /** 0-100, the detector's score */
  Confidence: number;
  /** L2-normalised, so the dot product of two is their cosine similarity */
  Embedding: number[];
}

/** The answer of the internal EmbedFaces job: the faces, largest first. */
export interface EmbedFacesResponse {
  Faces: EmbeddedFace[];
}

/** Scales a vector to unit length; a zero vector stays zero (it then matches nothing). */
export function normalise(vector: readonly number[]): number[] {
  const length = Math.hypot(...vector);
  return length > 0 ? vector.map((value) => value / length) : vector.map(() => 0);
}

/**
 * Keeps the faces that have an embedding (the description model ran on them), with their box and a unit vector.
 * `box` maps a face onto the box Rekognition would report (the mesh's extent when there is one).
 */
export function toEmbeddedFaces(faces: readonly FaceResult[], box: (face: FaceResult) => RatioBox): EmbedFacesResponse {
  const embedded = faces
    .filter((face) => Array.isArray(face.embedding) && face.embedding.length > 0)
    .map((face) => ({
      BoundingBox: box(face),
      Confidence: Math.round(face.score * 100_000) / 1000,
      Embedding: normalise(face.embedding as number[]),
    }));
  embedded.sort((a, b) => b.BoundingBox.Width * b.BoundingBox.Height - a.BoundingBox.Width * a.BoundingBox.Height);
  return { Faces: embedded };
}
