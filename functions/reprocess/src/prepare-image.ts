import { createHash } from 'node:crypto';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  DELETED_STATUS,
  IMAGE_SK,
  imagePk,
  isObject,
  storedPipelineVersion,
  UnknownPipelineVersionError,
  VERSION_SK,
  versionPk,
} from '@smart-image-pipeline/contracts';

/** The table, passed in so tests can replace it. */
export interface PrepareDeps {
  readonly db: Pick<DynamoDBDocumentClient, 'send'>;
  readonly tableName: string;
  /** Pinned variant widths per version (VERSION# items never change), remembered per container. */
  readonly pinnedWidths: Map<string, string | null>;
}

/** What the Distributed Map child does with one image: start a pipeline run, or nothing (and why). */
export type Preparation =
  | { action: 'run'; imageId: string; name: string; input: Record<string, unknown>; reusesResize: boolean }
  | { action: 'skip'; imageId: string; reason: 'gone' | 'current' };

// The fields of ResizeImage's output that the image item keeps and the later states read.
const RESIZE_FIELDS = [
  'analysable',
  'image',
  'exif',
  'placeholder',
  'perceptualHash',
  'variants',
  'analysisImage',
  'imageProperties',
] as const;

async function variantWidthsOf(version: string, deps: PrepareDeps): Promise<string | null> {
  const known = deps.pinnedWidths.get(version);
  if (known !== undefined) return known;
  const { Item: item } = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: { PK: versionPk(version), SK: VERSION_SK } }));
  const widths = isObject(item) && isObject(item.settings) ? JSON.stringify(item.settings.variantWidths ?? null) : null;
  if (widths !== null) deps.pinnedWidths.set(version, widths);
  return widths;
}

/** The stored resize result, when it is complete enough for the states after ResizeImage (older items lack parts). */
function storedResize(item: Record<string, unknown>): Record<string, unknown> | undefined {
  // Videos are transcoded by their own branch: their outputs are never handed back as a resize result.
  if (item.mediaType === 'video') return undefined;
  if (item.status !== 'SUCCEEDED' || !Array.isArray(item.variants) || typeof item.analysable !== 'boolean' || !isObject(item.image))
    return undefined;
  if (item.analysable && (!isObject(item.analysisImage) || !isObject(item.imageProperties) || typeof item.perceptualHash !== 'string'))
    return undefined;
  return { mediaType: 'image', ...Object.fromEntries(RESIZE_FIELDS.map((field) => [field, item[field] ?? null])) };
}

/** A pipeline execution name for this image, revision, version and reprocess run (`img-…` so the console links it). */
export function reprocessExecutionName(imageId: string, revision: string, version: string, runName: string): string {
  const run = createHash('sha256').update(runName).digest('hex').slice(0, 8);
  return `img-${imageId}-${revision}-${version}-${run}`;
}

/**
 * Reads the image item and decides: nothing to do when the image is gone or its stored success was made by the target
 * version; otherwise the input of a pipeline run of the target version, carrying the stored resize result when the
 * stored and the target version write the same variants (pinned VERSION# items), so ResizeImage is skipped.
 * @throws UnknownPipelineVersionError when the target version was never pinned (ResolveVersion runs first).
 */
export async function prepareImage(imageId: string, version: string, runName: string, deps: PrepareDeps): Promise<Preparation> {
  const { Item: item } = await deps.db.send(
    new GetCommand({ TableName: deps.tableName, Key: { PK: imagePk(imageId), SK: IMAGE_SK }, ConsistentRead: true }),
  );
  if (!isObject(item) || item.status === DELETED_STATUS || !isObject(item.source)) return { action: 'skip', imageId, reason: 'gone' };
  const stored = storedPipelineVersion(item);
  if (item.status === 'SUCCEEDED' && stored === version) return { action: 'skip', imageId, reason: 'current' };
  const targetWidths = await variantWidthsOf(version, deps);
  if (targetWidths === null) throw new UnknownPipelineVersionError(version, []);
  const resize = storedResize(item);
  const reusesResize = resize !== undefined && (await variantWidthsOf(stored, deps)) === targetWidths;
  const source = item.source as Record<string, unknown>;
  const sourceOrder = String(item.sourceOrder);
  const revision = String(item.revision);
  const input = {
    imageId,
    revision,
    owner: item.owner,
    source: { ...source, sourceOrder, sequencer: sourceOrder.replace(/^0+(?=.)/, '') },
    receivedAt: item.receivedAt,
    pipelineVersion: version,
    ...(reusesResize ? { resize } : {}),
  };
  return { action: 'run', imageId, name: reprocessExecutionName(imageId, revision, version, runName), input, reusesResize };
}
