import type { ApiDeps } from '../api-deps';
import { badRequest, notFound } from '../http/http-error';
import { QueryReader } from '../http/query-reader';
import { ok } from '../http/responses';
import type { Router } from '../http/router';
import { ownerOf } from '../images/image-access';
import { toImageSummary } from '../images/image-views';
import { presignedVariantUrls } from '../images/variant-urls';
import { ownerFaces, type FaceEntry } from '../people/face-index';

/** A person id is the FaceId of the face that started the person: a UUID. */
const PERSON_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function requirePersonId(value: string): string {
  if (!PERSON_ID.test(value)) throw badRequest('The person id must be a face id (a lower-case UUID).');
  return value;
}

/**
 * "Photos of this person" (groupFacesIntoPeople): the caller's people and one person's photos. Both read only the
 * caller's own face partition, admins included, so nobody is ever shown a person from another user's images.
 */
export function registerPeopleRoutes(router: Router, deps: ApiDeps): void {
  const urlFor = presignedVariantUrls(deps.s3, deps.resources.processedBucket, deps.now);
  const table = deps.resources.tableName;

  /** The caller's own images among these faces' (a face whose image is gone, or not the caller's, is skipped). */
  async function imagesOf(faces: readonly FaceEntry[], owner: string) {
    const images = (await deps.index.getImages(faces.map((face) => face.imageId))).items;
    return new Map([...images].filter(([, item]) => ownerOf(item) === owner));
  }

  router.on('GET', '/people', async ({ request, caller }) => {
    new QueryReader(request.query, []);
    const { faces, truncated } = await ownerFaces(deps.documents, table, caller.sub);
    const images = await imagesOf(faces, caller.sub);
    const byPerson = new Map<string, FaceEntry[]>();
    for (const face of faces) if (images.has(face.imageId)) byPerson.set(face.personId, [...(byPerson.get(face.personId) ?? []), face]);
    const people = await Promise.all(
      [...byPerson].map(async ([personId, personFaces]) => {
        // The cover: the most confident face, shown as its image's thumbnail with the face's box.
        const cover = [...personFaces].sort((a, b) => b.confidence - a.confidence)[0];
        const summary = await toImageSummary(images.get(cover.imageId)!, urlFor);
        return {
          personId,
          faceCount: personFaces.length,
          imageCount: new Set(personFaces.map((face) => face.imageId)).size,
          cover: { imageId: cover.imageId, box: cover.box, thumbnail: summary.thumbnail, width: summary.width, height: summary.height },
        };
      }),
    );
    people.sort((a, b) => b.imageCount - a.imageCount || a.personId.localeCompare(b.personId));
    deps.logger.info('Listed people', { people: people.length, faces: faces.length, truncated });
    return ok({ items: people, truncated });
  });

  router.on('GET', '/people/{personId}/images', async ({ params, request, caller }) => {
    new QueryReader(request.query, []);
    const personId = requirePersonId(params.personId);
    const { faces, truncated } = await ownerFaces(deps.documents, table, caller.sub, personId);
    const images = await imagesOf(faces, caller.sub);
    if (images.size === 0) throw notFound(`No person ${personId} among your photos.`);
    const boxesByImage = new Map<string, FaceEntry['box'][]>();
    for (const face of faces) boxesByImage.set(face.imageId, [...(boxesByImage.get(face.imageId) ?? []), face.box]);
    // Newest photo first, as the gallery lists them.
    const items = await Promise.all(
      [...images.values()].map(async (item) => ({
        ...(await toImageSummary(item, urlFor)),
        faceBoxes: boxesByImage.get(item.imageId) ?? [],
      })),
    );
    items.sort((a, b) => String(b.updatedAt ?? '').localeCompare(String(a.updatedAt ?? '')));
    return ok({ personId, items, truncated });
  });
}
