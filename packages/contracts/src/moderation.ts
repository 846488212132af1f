import type { AnalysisSummary } from './schemas/analysis';
import type { Quarantine } from './schemas/moderation';
import { SECTION_IDS } from './sections';
import { sectionItems } from './schemas/analysis';

/**
 * The moderation review's verdict and keys (docs/contracts.md "Moderation review"). AnalyseImage decides, with the
 * config's quarantineMinConfidence; StoreMetadata stores the image QUARANTINED; the review items live beside the
 * image item (same partition), so a re-run of StoreMetadata, which only replaces LABEL# and PHASH# items, keeps them.
 */

/** The moderation labels at or above `threshold`, most confident first; undefined when none (no quarantine). */
export function quarantineVerdict(summary: Pick<AnalysisSummary, 'sections'>, threshold: number): Quarantine | undefined {
  const labels = sectionItems(summary, SECTION_IDS.moderation)
    .filter((item) => typeof item.confidence === 'number' && item.confidence >= threshold)
    .map((item) => ({
      name: item.name.slice(0, 100),
      confidence: item.confidence as number,
      ...(typeof item.attributes?.parentName === 'string' && item.attributes.parentName !== ''
        ? { parentName: item.attributes.parentName.slice(0, 100) }
        : {}),
    }))
    .sort((a, b) => b.confidence - a.confidence)
    .slice(0, 25);
  return labels.length === 0 ? undefined : { threshold, labels };
}

/** Sort key of an image's review item (one per image: the pending or last review, with the task token while pending). */
export const REVIEW_SK = 'REVIEW';

/** Sort-key prefix of an image's audit items (one per decision, never overwritten). */
export const AUDIT_SK_PREFIX = 'AUDIT#';

/** Sort key of one audit item: time first, so an image's decisions read in order; the revision keeps two apart. */
export function auditSk(decidedAt: string, revision: string): string {
  return `${AUDIT_SK_PREFIX}${decidedAt}#${revision}`;
}

/** GSI1 partition of the pending reviews (the admins' review queue); a decided review leaves it. */
export const REVIEW_QUEUE_PK = 'REVIEW#PENDING';

/** GSI1 partition of every audit item (the admins' decision log), newest first when read backwards. */
export const AUDIT_LOG_PK = 'AUDIT';

/** Statuses whose variants are never served: waiting for a review, or rejected (variants deleted). */
export const WITHHELD_STATUSES: readonly string[] = Object.freeze(['QUARANTINED', 'REJECTED']);

/** Whether an image item's variants must not be served (no URL, a placeholder instead). */
export function isWithheld(status: unknown): boolean {
  return typeof status === 'string' && WITHHELD_STATUSES.includes(status);
}
