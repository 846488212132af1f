import {
  analysisSettingsKey,
  analysisSummarySchema,
  hammingDistance,
  perceptualHashBands,
  phashIndexPk,
  type AnalysisConfig,
  type AnalysisSummary,
} from '@smart-image-pipeline/contracts';
import type { AnalyseImageInput } from './types';

/** A hash-band item found in GSI1: an image and its full hash. */
export interface HashCandidate {
  imageId: string;
  perceptualHash: string;
}

/** The parts of an image item the reuse decision reads. */
export interface StoredImage {
  imageId: string;
  revision: string;
  status: string;
  owner?: string;
  analysis?: unknown;
}

/** What the finder needs from the table: a GSI1 band partition, and one image item. */
export interface NearDuplicateStore {
  /** The hash-band items of one GSI1 partition (a bounded number). */
  bandMembers(indexPk: string): Promise<HashCandidate[]>;
  image(imageId: string): Promise<StoredImage | undefined>;
}

/** An analysis that can be reused, and where it came from. */
export interface ReusableAnalysis {
  summary: AnalysisSummary;
  imageId: string;
  revision: string;
  distance: number;
}

/** Image items read per run at most: candidates are tried nearest first. */
export const MAX_CANDIDATES_READ = 5;

/**
 * Whether a dHash says enough to reuse an analysis on. Many unrelated images share a hash with fewer than 8 ones or
 * 8 zeros (a nearly flat image: a blank page, a dark frame), or one whose eight rows take fewer than 3 distinct
 * values (only a left-to-right brightness profile: any photo with a bright centre gives 0f0f0f0f0f0f0f0f).
 */
export function isInformativeHash(hash: string): boolean {
  const ones = hammingDistance(hash, '0000000000000000');
  const rows = new Set(hash.match(/../g));
  return ones >= 8 && ones <= 56 && rows.size >= 3;
}

const sameOwner = (a: string | undefined, b: string | undefined): boolean => (a ?? null) === (b ?? null);

/**
 * Finds an analysed image to copy the analysis from: its dHash within `nearDuplicateMaxDistance` bits of this
 * image's (every such hash shares one of the four 16-bit bands, so four GSI1 queries find them all), the same
 * owner, status SUCCEEDED, and an analysis that ran with the same settings (`analysisSettingsKey`). Nearest first,
 * ties by imageId, so the choice does not depend on query order. Undefined when reuse is off, the hash is missing
 * or uninformative, or nothing qualifies.
 */
export async function findReusableAnalysis(
  input: AnalyseImageInput,
  config: AnalysisConfig,
  store: NearDuplicateStore,
): Promise<ReusableAnalysis | undefined> {
  const hash = input.perceptualHash;
  if (!config.reuseNearDuplicates || hash === undefined || !isInformativeHash(hash)) return undefined;
  const bands = perceptualHashBands(hash);
  const members = (await Promise.all(bands.map((band, index) => store.bandMembers(phashIndexPk(index, band))))).flat();
  const nearest = new Map<string, number>();
  for (const member of members) {
    if (member.imageId === input.imageId || nearest.has(member.imageId)) continue;
    const distance = hammingDistance(hash, member.perceptualHash);
    if (distance <= config.nearDuplicateMaxDistance) nearest.set(member.imageId, distance);
  }
  const ordered = [...nearest].sort(([idA, a], [idB, b]) => a - b || idA.localeCompare(idB)).slice(0, MAX_CANDIDATES_READ);
  const settings = analysisSettingsKey(config);
  for (const [imageId, distance] of ordered) {
    const item = await store.image(imageId);
    if (!item || item.status !== 'SUCCEEDED' || !sameOwner(item.owner, input.owner)) continue;
    const parsed = analysisSummarySchema.safeParse(item.analysis);
    if (!parsed.success || parsed.data.settings !== settings) continue;
    return { summary: parsed.data, imageId, revision: item.revision, distance };
  }
  return undefined;
}
