import type { ImageStatus } from './types';

/** The parts of a stored image item that decide whether a run may replace it. */
export interface StoredVersion {
  revision: string;
  sourceOrder: string;
  status: ImageStatus;
}

/** How an incoming revision relates to the item already stored. */
export type Ownership = 'absent' | 'older-stored' | 'same-revision' | 'newer-stored';

/** Compares the stored item with an incoming revision; sourceOrder strings compare as numbers (same length, upper-case hex). */
export function ownershipOf(stored: StoredVersion | null, incoming: { revision: string; sourceOrder: string }): Ownership {
  if (stored === null) return 'absent';
  if (stored.sourceOrder < incoming.sourceOrder) return 'older-stored';
  if (stored.sourceOrder === incoming.sourceOrder && stored.revision === incoming.revision) return 'same-revision';
  return 'newer-stored';
}

/**
 * Tells whether a run may write its image item. A success may replace anything not newer; a failure
 * additionally never replaces a success of the same revision, which already holds complete results
 * for the same bytes (only a re-run of a stored revision can fail after it succeeded).
 */
export function mayWrite(status: ImageStatus, stored: StoredVersion | null, incoming: { revision: string; sourceOrder: string }): boolean {
  const ownership = ownershipOf(stored, incoming);
  if (ownership === 'newer-stored') return false;
  if (ownership === 'same-revision' && status === 'FAILED' && stored?.status === 'SUCCEEDED') return false;
  return true;
}

/** Names and values the conditional expressions below use. */
export function conditionValues(incoming: { revision: string; sourceOrder: string }): {
  names: Record<string, string>;
  values: Record<string, unknown>;
} {
  return {
    names: { '#pk': 'PK', '#so': 'sourceOrder', '#rev': 'revision' },
    values: { ':so': incoming.sourceOrder, ':rev': incoming.revision },
  };
}

/** DynamoDB form of "this revision may replace the stored item" (mirrors ownershipOf). */
export const OWNS_OR_ABSENT = 'attribute_not_exists(#pk) OR #so < :so OR (#so = :so AND #rev = :rev)';

/** As OWNS_OR_ABSENT, but the same revision must not already be SUCCEEDED (mirrors mayWrite for failures). */
export const FAILURE_MAY_WRITE = 'attribute_not_exists(#pk) OR #so < :so OR (#so = :so AND #rev = :rev AND #status <> :succeeded)';

/** A search item may be deleted by a revision that is not older than the one that wrote it. */
export const OWNS_EXISTING = '#so < :so OR (#so = :so AND #rev = :rev)';
