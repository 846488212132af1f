import { GetObjectCommand } from '@aws-sdk/client-s3';
import { isImageId, SECTION_IDS } from '@smart-image-pipeline/contracts';
import type { ApiDeps } from '../api-deps';
import type { Caller } from '../auth/caller';
import { decodeCursor, encodeCursor, type CursorBinding } from '../http/cursor';
import { badRequest, HttpError, notFound } from '../http/http-error';
import { QueryReader } from '../http/query-reader';
import { ok, okText, type Reply } from '../http/responses';
import type { Router } from '../http/router';
import { canSee } from '../images/image-access';
import type { ImageItem } from '../images/image-item';
import { imageQueryFingerprint, parseImageListQuery } from '../images/image-query';
import { HlsPlaylistError, hlsFolderOf, PLAYLIST_NAME, rewritePlaylist } from '../images/hls-playlist';
import { servedHlsMasterKey, toImageDetail, toImageSummary } from '../images/image-views';
import { isListPosition, listImages, partitionsFor, type ListScope } from '../images/list-images';
import { hammingDistance, hashBands } from '../images/perceptual-hash';
import { presignedVariantUrls } from '../images/variant-urls';
import { readPersonItems, withCurrentPeople } from '../people/person-items';

function requireImageId(value: string): string {
  if (!isImageId(value)) throw badRequest('The image id must be 32 lowercase hex characters.');
  return value;
}

/** The scope of a caller's own listings: their partitions only. */
export function ownScope(caller: Caller): ListScope {
  return { kind: 'owner', owner: caller.sub };
}

/** The cursor scope string of a listing scope. */
function scopeName(scope: ListScope): string {
  return scope.kind === 'owner' ? `owner:${scope.owner}` : 'all';
}

/** Image listings (mine, my failures, everyone's for admins), detail, status and near-duplicates. */
export function registerImageRoutes(router: Router, deps: ApiDeps): void {
  const urlFor = presignedVariantUrls(deps.s3, deps.resources.processedBucket, deps.now);

  /** An image the caller may see, else 404: another user's image is answered exactly like a missing one. */
  async function visibleImage(caller: Caller, imageId: string): Promise<ImageItem> {
    const found = (await deps.index.getImages([imageId])).items.get(imageId);
    if (!found || !canSee(caller, found)) throw notFound(`No image ${imageId} among yours.`);
    return found;
  }

  async function list(
    params: URLSearchParams,
    scope: ListScope,
    kind: string,
    options: Parameters<typeof parseImageListQuery>[1],
  ): Promise<Reply> {
    const query = parseImageListQuery(params, options);
    const binding: CursorBinding = { kind, scope: scopeName(scope), fingerprint: imageQueryFingerprint(query) };
    const partitions = partitionsFor(query, scope).length;
    const position = query.cursor ? decodeCursor(query.cursor, binding, (value) => isListPosition(value, partitions)) : undefined;
    const page = await listImages(query, scope, deps.index, position);
    deps.logger.info('Listed images', { listing: kind, returned: page.items.length, scanned: page.scanned, readUnits: page.readUnits });
    return ok({
      items: await Promise.all(page.items.map(({ item }) => toImageSummary(item, urlFor, query.label))),
      nextCursor: page.next ? encodeCursor(binding, page.next) : null,
    });
  }

  router.on('GET', '/images', ({ request, caller }) => list(request.query, ownScope(caller), 'images', {}));
  router.on('GET', '/failures', ({ request, caller }) => list(request.query, ownScope(caller), 'failures', { status: 'FAILED' }));
  router.on('GET', '/admin/images', ({ request }) => list(request.query, { kind: 'all' }, 'admin-images', { withOwner: true }), 'admin');

  router.on('GET', '/images/{imageId}', async ({ params, request, caller }) => {
    new QueryReader(request.query, []);
    const imageId = requireImageId(params.imageId);
    const family = await deps.index.getImageFamily(imageId);
    if (!family.image || !canSee(caller, family.image)) throw notFound(`No image ${imageId} among yours.`);
    const detail = await toImageDetail(family.image, urlFor);
    // Faces grouped into people: each names the person it is part of now (after the owner's merges).
    if (detail.analysis?.sections[SECTION_IDS.people])
      detail.analysis = withCurrentPeople(detail.analysis, await readPersonItems(deps.documents, deps.resources.tableName, detail.owner));
    return ok({ image: detail });
  });

  // A video's HLS ladder (the detail's `hlsPlaylist`): each playlist read from the processed bucket with its media
  // files presigned, behind the same owner and withholding checks as the rendition.
  router.on('GET', '/images/{imageId}/hls/{playlist}', async ({ params, request, caller }) => {
    new QueryReader(request.query, []);
    if (!PLAYLIST_NAME.test(params.playlist)) throw badRequest('The playlist must be a file name ending in .m3u8.');
    const image = await visibleImage(caller, requireImageId(params.imageId));
    const master = servedHlsMasterKey(image);
    if (!master) throw notFound(`Image ${image.imageId} has no HLS ladder to play.`);
    const key = `${hlsFolderOf(master)}${params.playlist}`;
    let text: string;
    try {
      text = await (
        await deps.s3.send(new GetObjectCommand({ Bucket: deps.resources.processedBucket, Key: key }))
      ).Body!.transformToString();
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') throw notFound(`Image ${image.imageId} has no playlist ${params.playlist}.`);
      throw error;
    }
    try {
      return okText(await rewritePlaylist(text, key, urlFor), 'application/vnd.apple.mpegurl');
    } catch (error) {
      if (error instanceof HlsPlaylistError) throw new HttpError(502, 'UnexpectedPlaylist', error.message);
      throw error;
    }
  });

  // The upload page polls this until the run has recorded a result; "PENDING" (not 404) while nothing is stored yet.
  router.on('GET', '/images/{imageId}/status', async ({ params, request, caller }) => {
    new QueryReader(request.query, []);
    const imageId = requireImageId(params.imageId);
    const item = (await deps.index.getImages([imageId])).items.get(imageId);
    if (item && !canSee(caller, item)) throw notFound(`No image ${imageId} among yours.`);
    return ok({
      imageId,
      status: item?.status ?? 'PENDING',
      executionName: item?.executionName ?? null,
      error: item?.error ?? null,
      updatedAt: item?.updatedAt ?? null,
    });
  });

  router.on('GET', '/images/{imageId}/similar', async ({ params, request, caller }) => {
    const reader = new QueryReader(request.query, ['maxDistance']);
    const maxDistance = reader.integer('maxDistance', 0, 64, 10);
    const image = await visibleImage(caller, requireImageId(params.imageId));
    const hash = typeof image.perceptualHash === 'string' ? image.perceptualHash : '';
    // A user compares with their own images only (GSI2); an admin with everyone's (GSI1).
    const owner = caller.isAdmin ? undefined : caller.sub;
    const candidates = new Set<string>();
    for (const [band, bandHex] of hashBands(hash).entries()) {
      for (const id of await deps.index.imagesInHashBand(band, bandHex, 200, owner)) if (id !== image.imageId) candidates.add(id);
    }
    const found = [...(await deps.index.getImages([...candidates])).items.values()]
      .filter((other) => canSee(caller, other) && typeof other.perceptualHash === 'string' && /^[0-9a-f]{16}$/.test(other.perceptualHash))
      .map((other) => ({ distance: hammingDistance(hash, other.perceptualHash as string), other }))
      .filter((entry) => entry.distance <= maxDistance)
      .sort((a, b) => a.distance - b.distance);
    return ok({
      perceptualHash: hash || null,
      items: await Promise.all(found.map(async ({ distance, other }) => ({ distance, image: await toImageSummary(other, urlFor) }))),
    });
  });
}
