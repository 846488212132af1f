/** One ListFaces answer, as either SDK client returns it (only the fields read here). */
export interface ListFacesPage {
  Faces?: { FaceId?: string; ExternalImageId?: string }[];
  NextToken?: string;
}

/** ListFaces returns at most this many faces per call (MaxResults 0-4096: `PageSize` in botocore's rekognition model). */
export const LIST_FACES_PAGE_SIZE = 4096;

/**
 * The FaceIds the collection holds for one image, found by their ExternalImageId (IndexFaces tags every face with the
 * imageId). ListFaces filters only by FaceIds or UserId, not by ExternalImageId, so this reads the whole collection
 * page by page: the slow path, taken only for an image whose "faces being indexed" marker (FACES_INDEXING_SK) says a
 * run may have died between IndexFaces and its face records.
 * @param listFaces one ListFaces call (MaxResults LIST_FACES_PAGE_SIZE) continuing at `nextToken`
 */
export async function collectionFacesOfImage(
  listFaces: (nextToken?: string) => Promise<ListFacesPage>,
  imageId: string,
): Promise<string[]> {
  const faceIds: string[] = [];
  let token: string | undefined;
  do {
    const page = await listFaces(token);
    for (const face of page.Faces ?? []) if (face.FaceId && face.ExternalImageId === imageId) faceIds.push(face.FaceId);
    token = page.NextToken;
  } while (token);
  return faceIds;
}
