import type { ApiDeps } from '../api-deps';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { badRequest, notFound } from '../http/http-error';
import { readJsonObject } from '../http/json-body';
import { QueryReader } from '../http/query-reader';
import { ok } from '../http/responses';
import type { Router } from '../http/router';
import { ownerOf } from '../images/image-access';
import { toImageSummary } from '../images/image-views';
import { presignedVariantUrls } from '../images/variant-urls';
import { ownerFaces, ownerPeoplePage, personFacesPage, type FaceEntry } from '../people/face-index';
import { membersOf, personWrites, readPersonItems, rootOf, type PersonItem } from '../people/person-items';

/** A person id is the FaceId of the face that started the person: a UUID. */
const PERSON_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A person's name, as the owner types it. */
const MAX_NAME_LENGTH = 80;

function requirePersonId(value: unknown, what = 'The person id'): string {
  if (typeof value !== 'string' || !PERSON_ID.test(value)) throw badRequest(`${what} must be a face id (a lower-case UUID).`);
  return value;
}

const isPersonPosition = (value: unknown): value is string => typeof value === 'string' && PERSON_ID.test(value);
/** A face's place in the owner's face index: `<personId>#<indexedAt>#<imageId>`. */
const FACE_POSITION = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}#[0-9T:.Z-]{1,40}#[0-9a-f]{32}$/;
const isFacePosition = (value: unknown): value is string => typeof value === 'string' && FACE_POSITION.test(value);

/**
 * "Photos of this person" (groupFacesIntoPeople): the caller's people (paged), one person's photos, merging one person
 * into another and naming a person. Every route reads only the caller's own face partition and person items, admins
 * included, so nobody is ever shown or changes a person from another user's images.
 */
export function registerPeopleRoutes(router: Router, deps: ApiDeps): void {
  const urlFor = presignedVariantUrls(deps.s3, deps.resources.processedBucket, deps.now);
  const table = deps.resources.tableName;
  const writes = personWrites(deps.documents, table);

  /** The caller's own images among these faces' (a face whose image is gone, or not the caller's, is skipped). */
  async function imagesOf(faces: readonly FaceEntry[], owner: string) {
    const images = (await deps.index.getImages(faces.map((face) => face.imageId))).items;
    return new Map([...images].filter(([, item]) => ownerOf(item) === owner));
  }

  /** The faces of a person and of everyone merged into it, among the owner's visible images. */
  async function personFaces(owner: string, root: string, items: ReadonlyMap<string, PersonItem>) {
    const read = await Promise.all(membersOf(root, items).map((member) => ownerFaces(deps.documents, table, owner, member)));
    const faces = read.flatMap((result) => result.faces);
    const images = await imagesOf(faces, owner);
    return { faces: faces.filter((face) => images.has(face.imageId)), images, truncated: read.some((result) => result.truncated) };
  }

  router.on('GET', '/people', async ({ request, caller }) => {
    const reader = new QueryReader(request.query, ['limit', 'cursor']);
    const limit = reader.integer('limit', 1, 100, 50);
    const cursor = reader.string('cursor', 4096);
    const binding = { kind: 'people', scope: `owner:${caller.sub}`, fingerprint: '' };
    const after = cursor ? decodeCursor(cursor, binding, isPersonPosition) : undefined;
    const items = await readPersonItems(deps.documents, table, caller.sub);
    const merged = new Set([...items.values()].filter((item) => item.mergedInto).map((item) => item.personId));
    const page = await ownerPeoplePage(deps.documents, table, caller.sub, { after, limit, skip: merged });
    // A person others were merged into is listed at its own id even when none of its own faces is left (their photos
    // deleted): it takes its place in the order beside the people the scan found, up to where the scan stopped.
    const mergeTargets = [...new Set([...merged].map((id) => rootOf(id, items)))].filter(
      (root) => (!after || root > after) && (!page.lastPersonId || root <= page.lastPersonId),
    );
    const ordered = [...new Set([...page.byPerson.keys(), ...mergeTargets])].sort();
    const onPage = ordered.slice(0, limit);
    const last = page.lastPersonId || ordered.length > limit ? onPage.at(-1) : undefined;
    // A person's faces, plus the faces of the people merged into it (read apart: they sort elsewhere).
    const groups = await Promise.all(
      onPage.map(async (personId) => {
        const faces = page.byPerson.get(personId) ?? [];
        const others = membersOf(personId, items).filter((member) => member !== personId);
        const more = await Promise.all(others.map((member) => ownerFaces(deps.documents, table, caller.sub, member)));
        return [personId, [...faces, ...more.flatMap((result) => result.faces)]] as const;
      }),
    );
    const images = await imagesOf(
      groups.flatMap(([, faces]) => faces),
      caller.sub,
    );
    const people = await Promise.all(
      groups.map(async ([personId, allFaces]) => {
        const faces = allFaces.filter((face) => images.has(face.imageId));
        if (faces.length === 0) return undefined;
        // The cover: the most confident face, shown as its image's thumbnail with the face's box.
        const cover = [...faces].sort((a, b) => b.confidence - a.confidence)[0];
        const summary = await toImageSummary(images.get(cover.imageId)!, urlFor);
        return {
          personId,
          name: items.get(personId)?.name ?? null,
          faceCount: faces.length,
          imageCount: new Set(faces.map((face) => face.imageId)).size,
          mergedFrom: membersOf(personId, items).filter((member) => member !== personId),
          cover: { imageId: cover.imageId, box: cover.box, thumbnail: summary.thumbnail, width: summary.width, height: summary.height },
        };
      }),
    );
    const listed = people.filter((person) => person !== undefined);
    deps.logger.info('Listed people', { people: listed.length, facesRead: page.facesRead });
    return ok({ items: listed, nextCursor: last ? encodeCursor(binding, last) : null });
  });

  router.on('GET', '/people/{personId}/images', async ({ params, request, caller }) => {
    const reader = new QueryReader(request.query, ['limit', 'cursor']);
    const limit = reader.integer('limit', 1, 100, 50);
    const cursor = reader.string('cursor', 4096);
    const requested = requirePersonId(params.personId);
    const items = await readPersonItems(deps.documents, table, caller.sub);
    // A person merged into another shows the other's photos (links made before the merge keep working).
    const personId = rootOf(requested, items);
    // Bound to the caller and the person: another user's cursor, or one of another person's photos, is a 400.
    const binding = { kind: 'person-images', scope: `owner:${caller.sub}`, fingerprint: personId };
    const after = cursor ? decodeCursor(cursor, binding, isFacePosition) : undefined;
    const page = await personFacesPage(deps.documents, table, caller.sub, { members: membersOf(personId, items), after, limit });
    if (!after && page.faces.length === 0) throw notFound(`No person ${requested} among your photos.`);
    const images = await imagesOf(page.faces, caller.sub);
    const boxesByImage = new Map<string, FaceEntry['box'][]>();
    for (const face of page.faces)
      if (images.has(face.imageId)) boxesByImage.set(face.imageId, [...(boxesByImage.get(face.imageId) ?? []), face.box]);
    // In the page's order: the photos whose faces were grouped last first.
    const list = await Promise.all(
      [...boxesByImage].map(async ([imageId, faceBoxes]) => ({ ...(await toImageSummary(images.get(imageId)!, urlFor)), faceBoxes })),
    );
    return ok({
      personId,
      name: items.get(personId)?.name ?? null,
      items: list,
      nextCursor: page.last ? encodeCursor(binding, page.last) : null,
    });
  });

  router.on('POST', '/people/{personId}/merge', async ({ params, request, caller }) => {
    new QueryReader(request.query, []);
    const source = requirePersonId(params.personId);
    const body = readJsonObject(request, 1024);
    const target = requirePersonId(body.into, '"into"');
    if (Object.keys(body).some((key) => key !== 'into')) throw badRequest('The body takes only "into" (the person to merge into).');
    if (source === target) throw badRequest('A person cannot be merged into itself.');
    const items = await readPersonItems(deps.documents, table, caller.sub);
    const [sourceRoot, targetRoot] = [rootOf(source, items), rootOf(target, items)];
    // Both must be the caller's: a person with no face among the caller's photos does not exist for them.
    for (const [requested, root] of [
      [source, sourceRoot],
      [target, targetRoot],
    ]) {
      if ((await personFaces(caller.sub, root, items)).images.size === 0) throw notFound(`No person ${requested} among your photos.`);
    }
    await writes.merge(caller.sub, sourceRoot, targetRoot, (current) => {
      if (rootOf(sourceRoot, current) === rootOf(targetRoot, current)) throw badRequest('These are already one person.');
    });
    deps.logger.info('Merged people', { source: sourceRoot, target: targetRoot });
    return ok({ personId: targetRoot, merged: sourceRoot });
  });

  router.on('PUT', '/people/{personId}/name', async ({ params, request, caller }) => {
    new QueryReader(request.query, []);
    const requested = requirePersonId(params.personId);
    const body = readJsonObject(request, 1024);
    if (Object.keys(body).some((key) => key !== 'name')) throw badRequest('The body takes only "name".');
    if (body.name !== null && typeof body.name !== 'string') throw badRequest('"name" must be a string, or null to remove it.');
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    if (name.length > MAX_NAME_LENGTH) throw badRequest(`"name" must be at most ${MAX_NAME_LENGTH} characters.`);
    if (/[\u0000-\u001f\u007f]/.test(name)) throw badRequest('"name" must not contain control characters.');
    const items = await readPersonItems(deps.documents, table, caller.sub);
    const personId = rootOf(requested, items);
    if ((await personFaces(caller.sub, personId, items)).images.size === 0) throw notFound(`No person ${requested} among your photos.`);
    await writes.rename(caller.sub, personId, name || undefined);
    return ok({ personId, name: name || null });
  });
}
