import { QueryReader } from '../http/query-reader';
import { badRequest } from '../http/http-error';
import { OWNER_PATTERN, PIPELINE_VERSION_PATTERN } from '@smart-image-pipeline/contracts';

/** Filters and sort of an image listing, validated. */
export interface ImageListQuery {
  status: 'SUCCEEDED' | 'FAILED' | 'QUARANTINED' | 'REJECTED' | 'ALL';
  label?: string;
  minConfidence?: number;
  hasFaces?: boolean;
  text?: string;
  moderated?: boolean;
  /** Stored (updatedAt) at or after this ISO time. */
  from?: string;
  /** Stored at or before this ISO time. */
  to?: string;
  sort: 'newest' | 'confidence';
  limit: number;
  cursor?: string;
  /** Admins only: one owner's images (a Cognito sub, or `unowned`). */
  owner?: string;
  /** Only images whose stored result this pipeline version made (`v1` includes results from before versions). */
  version?: string;
  /** Only videos, or only images ("videos with a dog": `label=dog&mediaType=video`). */
  mediaType?: 'image' | 'video';
}

/** The parameters of a listing; admins' listing of every user's images also takes `owner`. */
const FILTERS = [
  'status',
  'label',
  'minConfidence',
  'hasFaces',
  'text',
  'moderated',
  'from',
  'to',
  'version',
  'mediaType',
  'sort',
  'limit',
  'cursor',
] as const;

/**
 * Parses an image listing's query parameters. Without `sort`, a label search is ordered by the label's confidence
 * (its own index partition) and anything else newest first.
 * @throws HttpError 400 naming the first bad or unknown parameter.
 */
export function parseImageListQuery(params: URLSearchParams, options: { withOwner?: boolean; status?: 'FAILED' } = {}): ImageListQuery {
  const allowed: string[] = options.status ? ['from', 'to', 'limit', 'cursor'] : [...FILTERS];
  if (options.withOwner) allowed.push('owner');
  const reader = new QueryReader(params, allowed);
  const label = reader.string('label', 100);
  const query: ImageListQuery = {
    status: options.status ?? reader.choice('status', ['SUCCEEDED', 'FAILED', 'QUARANTINED', 'REJECTED', 'ALL'] as const, 'SUCCEEDED'),
    label,
    minConfidence: reader.number('minConfidence', 0, 100),
    hasFaces: reader.boolean('hasFaces'),
    text: reader.string('text', 200)?.toLowerCase(),
    moderated: reader.boolean('moderated'),
    from: reader.timestamp('from'),
    to: reader.timestamp('to', true),
    sort: reader.choice('sort', ['newest', 'confidence'] as const, label ? 'confidence' : 'newest'),
    limit: reader.integer('limit', 1, 100, 24),
    cursor: reader.string('cursor', 4096),
    owner: reader.string('owner', 40),
    version: reader.string('version', 8),
    mediaType: reader.choice('mediaType', ['image', 'video'] as const),
  };
  if (query.sort === 'confidence' && !query.label) throw badRequest('"sort=confidence" needs "label": confidence belongs to a label.');
  if (query.minConfidence !== undefined && !query.label) throw badRequest('"minConfidence" needs "label": confidence belongs to a label.');
  if (query.from !== undefined && query.to !== undefined && query.from > query.to) throw badRequest('"from" must not be after "to".');
  if (query.owner !== undefined && !OWNER_PATTERN.test(query.owner))
    throw badRequest('"owner" must be a user id (a Cognito sub) or "unowned".');
  if (query.version !== undefined && !PIPELINE_VERSION_PATTERN.test(query.version))
    throw badRequest('"version" must be a pipeline version name such as v2.');
  return query;
}

/** A stable string of the filters (not limit or cursor), so a cursor can be tied to the query that made it. */
export function imageQueryFingerprint(query: ImageListQuery): string {
  const { status, label, minConfidence, hasFaces, text, moderated, from, to, sort, owner, version, mediaType } = query;
  return JSON.stringify([
    status,
    label?.toLowerCase(),
    minConfidence,
    hasFaces,
    text,
    moderated,
    from,
    to,
    sort,
    owner,
    version,
    ...(mediaType ? [mediaType] : []),
  ]);
}
