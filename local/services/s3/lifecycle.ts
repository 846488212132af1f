import type { S3Store } from './store';

/** The parts of an S3 lifecycle rule local mode applies (the template's LifecycleConfiguration.Rules, resolved). */
export interface LifecycleRule {
  Id?: string;
  Status?: string;
  Prefix?: string;
  Filter?: { Prefix?: string };
  TagFilters?: Array<{ Key: string; Value: string }>;
  ExpirationInDays?: number | string;
  NoncurrentVersionExpiration?: { NoncurrentDays?: number | string };
  NoncurrentVersionExpirationInDays?: number | string;
}

/** What one pass deleted. */
export interface LifecycleOutcome {
  expired: number;
  noncurrentExpired: number;
}

const DAY_MS = 86_400_000;

/**
 * Applies a bucket's expiration rules as S3's lifecycle does, at `now`: current objects older than ExpirationInDays
 * (matching the rule's prefix and every tag filter) are deleted (a delete marker in a versioned bucket), and versions
 * noncurrent for longer than their NoncurrentDays go for good. Like S3, it sends no ObjectRemoved events.
 * S3 runs this about once a day; local mode runs it at start and then every few hours.
 */
export async function applyLifecycle(
  store: S3Store,
  bucket: string,
  rules: readonly LifecycleRule[],
  now: Date,
): Promise<LifecycleOutcome> {
  const outcome: LifecycleOutcome = { expired: 0, noncurrentExpired: 0 };
  for (const rule of rules.filter((candidate) => candidate.Status === 'Enabled')) {
    const prefix = rule.Filter?.Prefix ?? rule.Prefix ?? '';
    const tags = rule.TagFilters ?? [];
    const expireDays = numberOf(rule.ExpirationInDays);
    const noncurrentDays = numberOf(rule.NoncurrentVersionExpiration?.NoncurrentDays ?? rule.NoncurrentVersionExpirationInDays);
    for (const { key, versions } of store.listAllVersions(bucket)) {
      if (!key.startsWith(prefix)) continue;
      const [current, ...older] = versions;
      if (expireDays !== undefined && current && !current.deleteMarker && tags.every((tag) => current.tags?.[tag.Key] === tag.Value)) {
        if (now.getTime() - Date.parse(current.lastModified) >= expireDays * DAY_MS) {
          await store.deleteObject(bucket, key);
          outcome.expired += 1;
        }
      }
      if (noncurrentDays === undefined) continue;
      // A version becomes noncurrent when the next one is written: its successor's LastModified.
      for (let index = 0; index < older.length; index += 1) {
        const successor = index === 0 ? current : older[index - 1];
        if (successor && now.getTime() - Date.parse(successor.lastModified) >= noncurrentDays * DAY_MS) {
          await store.deleteObject(bucket, key, older[index].versionId);
          outcome.noncurrentExpired += 1;
        }
      }
    }
  }
  return outcome;
}

function numberOf(value: number | string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}
