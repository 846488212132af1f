import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  analysisFingerprint,
  checkAnalysisConfig,
  DELETED_STATUS,
  IMAGE_SK,
  imagePk,
  isObject,
  storedAnalysisRef,
  storedPipelineVersion,
  UnknownPipelineVersionError,
  VERSION_SK,
  versionPk,
} from '@smart-image-pipeline/contracts';
import { claimImage, type ClaimDeps } from './claim-image';

/** The table and a clock, passed in so tests can replace them. */
export interface PrepareDeps extends ClaimDeps {
  /** What a pinned version writes and analyses with (VERSION# items never change), remembered per container. */
  readonly pinnedVersions: Map<string, PinnedVersion>;
}

/** The parts of a pinned version the reuse decisions compare: its variant widths and its analysis fingerprint. */
export interface PinnedVersion {
  readonly widths: string;
  readonly analysisFingerprint: string | null;
}

/** What the Distributed Map child does with one image: start a pipeline run, or nothing (and why). */
export type Preparation =
  | {
      action: 'run';
      imageId: string;
      name: string;
      input: Record<string, unknown>;
      reusesResize: boolean;
      reusesAnalysis: boolean;
      /** The reprocess run holding the claim (ReleaseClaim gives it back when the pipeline run fails). */
      runName: string;
    }
  | { action: 'skip'; imageId: string; reason: 'gone' | 'current' | 'claimed' };

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

async function pinnedVersion(version: string, deps: PrepareDeps): Promise<PinnedVersion | undefined> {
  const known = deps.pinnedVersions.get(version);
  if (known !== undefined) return known;
  const { Item: item } = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: { PK: versionPk(version), SK: VERSION_SK } }));
  if (!isObject(item) || !isObject(item.settings)) return undefined;
  const analysis = checkAnalysisConfig(item.settings.analysis).config;
  const pinned = {
    widths: JSON.stringify(item.settings.variantWidths ?? null),
    analysisFingerprint: analysis ? analysisFingerprint(analysis) : null,
  };
  deps.pinnedVersions.set(version, pinned);
  return pinned;
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
 * Reads the image item and decides: nothing to do when the image is gone, its stored success was made by the target
 * version, or another reprocess run of that version has claimed it (`claimImage`); otherwise the input of a pipeline run of the target version, carrying the stored resize result when the
 * stored and the target version write the same variants (pinned VERSION# items), so ResizeImage is skipped, and a
 * reference to the stored analysis (version + settings fingerprint), which the run reuses instead of calling
 * Rekognition when the target version analyses with the same settings.
 * @throws UnknownPipelineVersionError when the target version was never pinned (ResolveVersion runs first).
 */
export async function prepareImage(imageId: string, version: string, runName: string, deps: PrepareDeps): Promise<Preparation> {
  const { Item: item } = await deps.db.send(
    new GetCommand({ TableName: deps.tableName, Key: { PK: imagePk(imageId), SK: IMAGE_SK }, ConsistentRead: true }),
  );
  if (!isObject(item) || item.status === DELETED_STATUS || !isObject(item.source)) return { action: 'skip', imageId, reason: 'gone' };
  const stored = storedPipelineVersion(item);
  // A QUARANTINED result of the target version is current too: that version's run stored it and waits for its review.
  if ((item.status === 'SUCCEEDED' || item.status === 'QUARANTINED') && stored === version)
    return { action: 'skip', imageId, reason: 'current' };
  const target = await pinnedVersion(version, deps);
  if (target === undefined) throw new UnknownPipelineVersionError(version, []);
  const resize = storedResize(item);
  const reusesResize = resize !== undefined && (await pinnedVersion(stored, deps))?.widths === target.widths;
  // ResolveVersion and AnalyseImage decide again on the config and the item; this is the count the run reports.
  const analysisRef = storedAnalysisRef(item);
  const reusesAnalysis = analysisRef !== undefined && analysisRef.fingerprint === target.analysisFingerprint;
  const source = item.source as Record<string, unknown>;
  const sourceOrder = String(item.sourceOrder);
  const revision = String(item.revision);
  // Last, so a skip for another reason never takes a claim; a refusal means another run of this version has the image.
  // A QUARANTINED item's run is waiting for its review: that write does not end a claim, the run's end does.
  const itemUpdatedAt = typeof item.updatedAt === 'string' && item.status !== 'QUARANTINED' ? item.updatedAt : undefined;
  if (!(await claimImage({ imageId, revision, version, runName, itemUpdatedAt }, deps)))
    return { action: 'skip', imageId, reason: 'claimed' };
  const input = {
    imageId,
    revision,
    owner: item.owner,
    source: { ...source, sourceOrder, sequencer: sourceOrder.replace(/^0+(?=.)/, '') },
    receivedAt: item.receivedAt,
    pipelineVersion: version,
    ...(reusesResize ? { resize } : {}),
    ...(analysisRef ? { storedAnalysis: analysisRef } : {}),
  };
  const name = reprocessExecutionName(imageId, revision, version, runName);
  return { action: 'run', imageId, name, input, reusesResize, reusesAnalysis, runName };
}
