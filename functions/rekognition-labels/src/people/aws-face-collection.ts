import {
  DeleteFacesCommand,
  IndexFacesCommand,
  ListFacesCommand,
  SearchFacesCommand,
  type RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { collectionFacesOfImage, LIST_FACES_PAGE_SIZE } from '@smart-image-pipeline/contracts';
import { box, round1 } from '../detectors/summary-format';
import type { FaceCollection } from './group-faces';

/** IndexFaces indexes at most this many faces per image (the largest first): group photos beyond it are cut. */
export const MAX_FACES_PER_IMAGE = 20;
/** SearchFaces returns at most this many matches (Rekognition allows 4,096); other owners' matches count against it. */
export const MAX_MATCHES = 100;
/** DeleteFaces takes at most 4,096 face ids per call (`FaceIdList` max 4096, botocore's rekognition model). */
const DELETE_BATCH = 4096;

/** The stack's face collection through the SDK. */
export function createAwsFaceCollection(rekognition: Pick<RekognitionClient, 'send'>, collectionId: string): FaceCollection {
  return {
    async indexFaces(image, imageId) {
      const response = await rekognition.send(
        new IndexFacesCommand({
          CollectionId: collectionId,
          Image: image,
          ExternalImageId: imageId,
          MaxFaces: MAX_FACES_PER_IMAGE,
          QualityFilter: 'AUTO',
          DetectionAttributes: [],
        }),
      );
      return (response.FaceRecords ?? []).flatMap((record) =>
        record.Face?.FaceId
          ? [{ faceId: record.Face.FaceId, box: box(record.Face.BoundingBox), confidence: round1(record.Face.Confidence) }]
          : [],
      );
    },
    async searchFaces(faceId, threshold) {
      const response = await rekognition.send(
        new SearchFacesCommand({ CollectionId: collectionId, FaceId: faceId, FaceMatchThreshold: threshold, MaxFaces: MAX_MATCHES }),
      );
      return (response.FaceMatches ?? []).flatMap((match) =>
        match.Face?.FaceId && match.Face.ExternalImageId
          ? [{ faceId: match.Face.FaceId, imageId: match.Face.ExternalImageId, similarity: match.Similarity ?? 0 }]
          : [],
      );
    },
    facesOfImage: (imageId) =>
      collectionFacesOfImage(
        (token) =>
          rekognition.send(new ListFacesCommand({ CollectionId: collectionId, MaxResults: LIST_FACES_PAGE_SIZE, NextToken: token })),
        imageId,
      ),
    async deleteFaces(faceIds) {
      for (let start = 0; start < faceIds.length; start += DELETE_BATCH) {
        await rekognition.send(new DeleteFacesCommand({ CollectionId: collectionId, FaceIds: faceIds.slice(start, start + DELETE_BATCH) }));
      }
    },
  };
}
