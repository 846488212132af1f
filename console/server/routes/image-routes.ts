import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { ApiContext } from '../api-context';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { badRequest, notFound } from '../http/errors';
import { QueryReader } from '../http/query-params';
import { BASE_HEADERS } from '../http/respond';
import type { Router } from '../http/router';
import { isImageId } from '@smart-image-pipeline/contracts';
import { variantFileName, type ImageItem } from '../images/image-item';
import { imageQueryFingerprint, parseImageListQuery } from '../images/image-query';
import { toImageDetail, toImageSummary } from '../images/image-views';
import { listImages } from '../images/list-images';
import { hammingDistance, hashBands } from '../images/perceptual-hash';

/** Content types by variant extension; the resizer wrote each variant in the format its name says. */
const CONTENT_TYPES: Record<string, string> = { webp: 'image/webp', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', avif: 'image/avif' };
const VARIANT_FILE = /^[A-Za-z0-9_.-]{1,64}$/;
const REVISION = /^[0-9a-f]{16}$/;

function requireImageId(value: string): string {
  if (!isImageId(value)) throw badRequest('The image id must be 32 lowercase hex characters.');
  return value;
}

async function requireImage(context: ApiContext, imageId: string): Promise<ImageItem> {
  const found = (await context.index.getImages([imageId])).get(imageId);
  if (!found) throw notFound(`No image ${imageId}.`);
  return found;
}

/** Image listing with filters, detail, near-duplicates and the variant proxy. */
export function registerImageRoutes(router: Router, context: ApiContext): void {
  router.on('GET', '/api/images', async ({ url }) => {
    const query = parseImageListQuery(url.searchParams);
    const fingerprint = imageQueryFingerprint(query);
    const position = query.cursor ? decodeCursor(query.cursor, 'images', fingerprint) : undefined;
    const page = await listImages(query, context.index, position);
    return {
      items: page.items.map(({ item }) => toImageSummary(item, query.label)),
      nextCursor: page.nextPosition ? encodeCursor('images', fingerprint, page.nextPosition) : null,
    };
  });

  router.on('GET', '/api/images/:imageId', async ({ params, url }) => {
    new QueryReader(url.searchParams, []);
    const imageId = requireImageId(params.imageId);
    const family = await context.index.getImageFamily(imageId);
    if (!family.image) throw notFound(`No image ${imageId}.`);
    return { image: toImageDetail(family.image) };
  });

  // The upload page polls this until the run has recorded a result; "PENDING" (not 404) while nothing is stored yet.
  router.on('GET', '/api/images/:imageId/status', async ({ params, url }) => {
    new QueryReader(url.searchParams, []);
    const imageId = requireImageId(params.imageId);
    const item = (await context.index.getImages([imageId])).get(imageId);
    return { imageId, status: item?.status ?? 'PENDING', executionName: item?.executionName ?? null, error: item?.error ?? null, updatedAt: item?.updatedAt ?? null };
  });

  router.on('GET', '/api/images/:imageId/similar', async ({ params, url }) => {
    const reader = new QueryReader(url.searchParams, ['maxDistance']);
    const maxDistance = reader.integer('maxDistance', 0, 64, 10);
    const image = await requireImage(context, requireImageId(params.imageId));
    const hash = typeof image.perceptualHash === 'string' ? image.perceptualHash : '';
    const bands = hashBands(hash);
    const candidates = new Set<string>();
    for (const [band, bandHex] of bands.entries()) {
      for (const id of await context.index.imagesInHashBand(band, bandHex, 200)) if (id !== image.imageId) candidates.add(id);
    }
    const items = [...(await context.index.getImages([...candidates])).values()]
      .filter((other) => typeof other.perceptualHash === 'string' && /^[0-9a-f]{16}$/.test(other.perceptualHash))
      .map((other) => ({ distance: hammingDistance(hash, other.perceptualHash as string), image: toImageSummary(other) }))
      .filter((entry) => entry.distance <= maxDistance)
      .sort((a, b) => a.distance - b.distance);
    return { perceptualHash: hash || null, items };
  });

  router.on('GET', '/api/images/:imageId/variants/:file', async ({ params, url, req, res }) => {
    const reader = new QueryReader(url.searchParams, ['revision']);
    const revisionParam = reader.string('revision', 16);
    if (revisionParam !== undefined && !REVISION.test(revisionParam)) throw badRequest('"revision" must be 16 lowercase hex characters.');
    const file = params.file;
    if (!VARIANT_FILE.test(file)) throw badRequest('Bad variant file name.');
    const image = await requireImage(context, requireImageId(params.imageId));
    // Only files the item lists as variants are served, so this can never read other keys of the bucket.
    const variant = (image.variants ?? []).find((entry) => typeof entry?.key === 'string' && variantFileName(entry) === file);
    if (!variant) throw notFound(`Image ${image.imageId} has no variant ${file}.`);
    const extension = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
    const contentType = CONTENT_TYPES[extension] ?? (variant.format ? CONTENT_TYPES[variant.format] : undefined);
    if (!contentType) throw notFound(`Variant ${file} has no image content type.`);
    const revision = revisionParam ?? image.revision;
    const key = revision && revisionParam ? variant.key.replace(`/${image.revision}/`, `/${revision}/`) : variant.key;
    const object = await context.clients.s3.send(new GetObjectCommand({ Bucket: context.resources.processedBucket, Key: key, IfNoneMatch: headerValue(req.headers['if-none-match']) })).catch((error: { name?: string; $metadata?: { httpStatusCode?: number } }) => {
      if (error.$metadata?.httpStatusCode === 304) return 'not-modified' as const;
      if (error.name === 'NoSuchKey' || error.name === 'NotFound') throw notFound(`Variant ${file} is missing from the processed bucket.`);
      throw error;
    });
    const headers: Record<string, string> = {
      ...BASE_HEADERS,
      'content-type': contentType,
      'content-security-policy': "default-src 'none'; sandbox",
      // The URL names the revision, and a revision's bytes never change.
      'cache-control': revisionParam ? 'private, max-age=31536000, immutable' : 'private, max-age=60',
    };
    if (object === 'not-modified') {
      res.writeHead(304, headers);
      res.end();
      return undefined;
    }
    if (object.ETag) headers.etag = object.ETag;
    if (object.ContentLength !== undefined) headers['content-length'] = String(object.ContentLength);
    res.writeHead(200, headers);
    const body = object.Body as Readable | undefined;
    if (!body) {
      res.end();
      return undefined;
    }
    await new Promise<void>((resolve, reject) => {
      body.on('error', reject);
      res.on('close', resolve);
      body.pipe(res);
    });
    return undefined;
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
