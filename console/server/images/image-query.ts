import { QueryReader } from '../http/query-params';
import { badRequest } from '../http/errors';

/** Filters and sort of the image listing, validated. */
export interface ImageListQuery {
  status: 'SUCCEEDED' | 'FAILED' | 'ALL';
  label?: string;
  minConfidence?: number;
  hasFaces?: boolean;
  text?: string;
  moderated?: boolean;
  sort: 'newest' | 'confidence';
  limit: number;
  cursor?: string;
}

/** Parses `/api/images` query parameters. @throws HttpError 400 naming the first bad parameter. */
export function parseImageListQuery(params: URLSearchParams): ImageListQuery {
  const reader = new QueryReader(params, ['status', 'label', 'minConfidence', 'hasFaces', 'text', 'moderated', 'sort', 'limit', 'cursor']);
  const query: ImageListQuery = {
    status: reader.choice('status', ['SUCCEEDED', 'FAILED', 'ALL'] as const, 'SUCCEEDED'),
    label: reader.string('label', 100),
    minConfidence: reader.number('minConfidence', 0, 100),
    hasFaces: reader.boolean('hasFaces'),
    text: reader.string('text', 200),
    moderated: reader.boolean('moderated'),
    sort: reader.choice('sort', ['newest', 'confidence'] as const, 'newest'),
    limit: reader.integer('limit', 1, 100, 24),
    cursor: reader.string('cursor', 4096),
  };
  if (query.sort === 'confidence' && !query.label) throw badRequest('"sort=confidence" needs "label": confidence belongs to a label.');
  if (query.minConfidence !== undefined && !query.label) throw badRequest('"minConfidence" needs "label": confidence belongs to a label.');
  return query;
}

/** A stable string of the filters (not limit or cursor), so a cursor can be tied to the query that made it. */
export function imageQueryFingerprint(query: ImageListQuery): string {
  const { status, label, minConfidence, hasFaces, text, moderated, sort } = query;
  return JSON.stringify([status, label?.toLowerCase(), minConfidence, hasFaces, text?.toLowerCase(), moderated, sort]);
}
