import { confidenceKey, labelIndexPk, statusIndexPk } from '@smart-image-pipeline/contracts';
import type { ImageItem } from './image-item';
import { matchesImageQuery } from './image-filters';
import type { ImageListQuery } from './image-query';

/** One entry read from a GSI1 partition; `item` is set when the index projects the whole image item. */
export interface IndexEntry {
  sortKey: string;
  imageId: string;
  item?: ImageItem;
}

/** The reads the listing needs; DynamoDB implements it, unit tests pass an in-memory one. */
export interface ImageIndex {
  /** Entries of one GSI1 partition in descending sort-key order, strictly below `below` and not below `atLeast`. */
  queryPartition(partition: string, range: { below?: string; atLeast?: string }, limit: number): Promise<{ entries: IndexEntry[]; exhausted: boolean }>;
  /** The image items for these ids; ids without an item are absent from the map. */
  getImages(imageIds: readonly string[]): Promise<Map<string, ImageItem>>;
}

/** A page of matching images plus the sort key to continue below, when more may follow. */
export interface ImagePage {
  items: Array<{ item: ImageItem; sortKey: string }>;
  nextPosition?: string;
}

/** How many index entries one request may examine; a page can come back short (with a cursor) rather than scan everything. */
export const EXAMINE_BUDGET = 600;

/** The GSI1 sort-key floor for a minimum label confidence (`080000` for 80). */
export const confidenceSortKey = confidenceKey;

/** The GSI1 partitions that hold the candidates of a query, per the access patterns in docs/contracts.md. */
export function partitionsFor(query: ImageListQuery): string[] {
  if (query.sort === 'confidence' && query.label) return [labelIndexPk(query.label)];
  if (query.status === 'ALL') return [statusIndexPk('SUCCEEDED'), statusIndexPk('FAILED')];
  return [statusIndexPk(query.status)];
}

/** Reads several partitions as one sequence in descending sort-key order, a page at a time. */
class MergedPartitions {
  private readonly streams: Array<{ partition: string; buffer: IndexEntry[]; below?: string; exhausted: boolean }>;

  constructor(
    private readonly index: ImageIndex,
    partitions: string[],
    position: string | undefined,
    private readonly pageSize: number,
    private readonly atLeast: string | undefined,
  ) {
    this.streams = partitions.map((partition) => ({ partition, buffer: [], below: position, exhausted: false }));
  }

  /** The next entry across all partitions, or undefined when every partition is exhausted. */
  async next(): Promise<IndexEntry | undefined> {
    for (const stream of this.streams) {
      if (stream.buffer.length > 0 || stream.exhausted) continue;
      const page = await this.index.queryPartition(stream.partition, { below: stream.below, atLeast: this.atLeast }, this.pageSize);
      stream.buffer.push(...page.entries);
      if (page.entries.length > 0) stream.below = page.entries[page.entries.length - 1].sortKey;
      stream.exhausted = page.exhausted || page.entries.length === 0;
    }
    let best: (typeof this.streams)[number] | undefined;
    for (const stream of this.streams) {
      if (stream.buffer.length > 0 && (!best || stream.buffer[0].sortKey > best.buffer[0].sortKey)) best = stream;
    }
    return best?.buffer.shift();
  }

  /** Puts entries back in front, so the next call returns them again in order. */
  unread(entries: IndexEntry[]): void {
    // Entries are unique across partitions; any stream works because next() always picks the greatest head.
    if (entries.length > 0) this.streams[0].buffer.unshift(...entries);
  }

  /** True when entries may remain after those read so far. */
  get hasMore(): boolean {
    return this.streams.some((stream) => stream.buffer.length > 0 || !stream.exhausted);
  }
}

/**
 * Lists images matching the query, newest (or most confident) first.
 * Partitions are merged by sort key, which is unique across them because it ends in the imageId,
 * so the position to continue from is simply the last sort key examined.
 */
export async function listImages(query: ImageListQuery, index: ImageIndex, position?: string): Promise<ImagePage> {
  const atLeast = query.sort === 'confidence' && query.minConfidence !== undefined ? confidenceSortKey(query.minConfidence) : undefined;
  const merged = new MergedPartitions(index, partitionsFor(query), position, Math.max(query.limit * 2, 25), atLeast);
  const items: ImagePage['items'] = [];
  let examined = 0;
  let lastExamined: string | undefined;

  while (items.length < query.limit && examined < EXAMINE_BUDGET) {
    const batch: IndexEntry[] = [];
    while (batch.length < Math.max(query.limit - items.length, 25)) {
      const entry = await merged.next();
      if (!entry) break;
      batch.push(entry);
    }
    if (batch.length === 0) break;
    const missing = batch.filter((entry) => !entry.item).map((entry) => entry.imageId);
    const fetched = missing.length > 0 ? await index.getImages(missing) : new Map<string, ImageItem>();
    let used = 0;
    for (const entry of batch) {
      used += 1;
      examined += 1;
      lastExamined = entry.sortKey;
      const item = entry.item ?? fetched.get(entry.imageId);
      if (item && matchesImageQuery(item, query)) items.push({ item, sortKey: entry.sortKey });
      if (items.length >= query.limit) break;
    }
    merged.unread(batch.slice(used));
  }

  return { items, nextPosition: merged.hasMore && lastExamined !== undefined ? lastExamined : undefined };
}
