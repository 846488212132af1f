import {
  confidenceKey,
  GSI1,
  GSI2,
  imageIdFromIndexSk,
  labelIndexPk,
  ownerLabelIndexPk,
  ownerStatusIndexPk,
  statusIndexPk,
  type ImageStatus,
} from '@smart-image-pipeline/contracts';
import type { ImageItem } from './image-item';
import { matchesImageQuery } from './image-filters';
import type { ImageListQuery } from './image-query';

/** Whose images a listing may read: one owner's (GSI2), or every owner's (GSI1, admins only). */
export type ListScope = { kind: 'owner'; owner: string } | { kind: 'all' };

/** One index partition: which index, and its partition key value. */
export interface IndexPartition {
  index: typeof GSI1 | typeof GSI2;
  key: string;
}

/** One entry read from an index partition; `item` is set when the entry is the image item itself. */
export interface IndexEntry {
  sortKey: string;
  imageId: string;
  item?: ImageItem;
}

/** A condition DynamoDB applies to the entries it reads (FilterExpression), before sending them. */
export interface IndexFilter {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/** One page of a partition: what matched, whether more may follow, and how far the read got. */
export interface PartitionPage {
  entries: IndexEntry[];
  exhausted: boolean;
  /** The sort key of the last entry DynamoDB read (matching or not); the next read continues below it. */
  frontier?: string;
  /** Entries DynamoDB read before filtering (what the read is billed for). */
  scanned: number;
  readUnits: number;
}

/** The reads a listing needs; DynamoDB implements it, unit tests pass an in-memory one. */
export interface ImageIndex {
  /** Entries of one partition in descending sort-key order, strictly below `below` and not below `atLeast`. */
  queryPartition(
    partition: IndexPartition,
    range: { below?: string; atLeast?: string },
    limit: number,
    filter?: IndexFilter,
  ): Promise<PartitionPage>;
  /** The image items for these ids; ids without an item are absent from the map. */
  getImages(imageIds: readonly string[]): Promise<{ items: Map<string, ImageItem>; readUnits: number }>;
}

/** A page of matching images, and where each partition continues (null: done), when more may follow. */
export interface ImagePage {
  items: Array<{ item: ImageItem; sortKey: string }>;
  next?: ListPosition;
  /** DynamoDB read capacity units the page consumed (eventually consistent reads). */
  readUnits: number;
  /** Index entries read to find them. */
  scanned: number;
}

/** Where each partition of a listing continues: strictly below the sort key, from its top (`*`), or null when done. */
export type ListPosition = Array<string | null>;

/** The position entry of a partition not read into yet. */
const FROM_TOP = '*';

/** How many index entries one request may read; a page can come back short (with a cursor) rather than read everything. */
export const EXAMINE_BUDGET = 1000;

/** The GSI1/GSI2 sort-key floor for a minimum label confidence (`080000` for 80). */
export const confidenceSortKey = confidenceKey;

/** The index partitions that hold the candidates of a query (docs/contracts.md access patterns). */
export function partitionsFor(query: ImageListQuery, scope: ListScope): IndexPartition[] {
  const owner = scope.kind === 'owner' ? scope.owner : query.owner;
  const partition = (global: string, owned: (owner: string) => string): IndexPartition =>
    owner === undefined ? { index: GSI1, key: global } : { index: GSI2, key: owned(owner) };
  if (query.sort === 'confidence' && query.label) {
    const label = query.label;
    return [partition(labelIndexPk(label), (who) => ownerLabelIndexPk(who, label))];
  }
  const statuses: ImageStatus[] = query.status === 'ALL' ? ['SUCCEEDED', 'FAILED', 'QUARANTINED', 'REJECTED'] : [query.status];
  return statuses.map((status) => partition(statusIndexPk(status), (who) => ownerStatusIndexPk(who, status)));
}

/** True when the value is a position this listing could have written for `count` partitions. */
export function isListPosition(value: unknown, count: number): value is ListPosition {
  return (
    Array.isArray(value) &&
    value.length === count &&
    value.some((entry) => entry !== null) &&
    value.every(
      (entry) =>
        entry === null ||
        entry === FROM_TOP ||
        (typeof entry === 'string' && entry.length <= 120 && imageIdFromIndexSk(entry) !== undefined),
    )
  );
}

/**
 * The conditions DynamoDB can check on index entries before sending them: the flags every label item and image item
 * carries, the text of image items, and the time of label items (for image items the time is part of the key
 * condition). An entry that lacks an attribute (written before it existed) passes, and is checked on the image item.
 */
export function indexFilterFor(query: ImageListQuery, partition: 'label' | 'status'): IndexFilter | undefined {
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const lenient = (attribute: string, condition: string) => {
    names[`#${attribute}`] = attribute;
    parts.push(`(attribute_not_exists(#${attribute}) OR ${condition})`);
  };
  if (query.hasFaces !== undefined) {
    values[':zero'] = 0;
    lenient('faceCount', query.hasFaces ? '#faceCount > :zero' : '#faceCount = :zero');
  }
  if (query.moderated !== undefined) {
    values[':moderated'] = query.moderated;
    lenient('moderated', '#moderated = :moderated');
  }
  if (partition === 'status' && query.text !== undefined) {
    values[':text'] = query.text.toLowerCase();
    lenient('textContent', 'contains(#textContent, :text)');
  }
  if (partition === 'label' && (query.from !== undefined || query.to !== undefined)) {
    values[':from'] = query.from ?? '';
    values[':to'] = query.to ?? '~';
    lenient('updatedAt', '#updatedAt BETWEEN :from AND :to');
  }
  return parts.length === 0 ? undefined : { expression: parts.join(' AND '), names, values };
}

/** The sort-key range a query allows in a partition: a confidence floor for labels, a time window for statuses. */
function keyRange(query: ImageListQuery, labelPartition: boolean): { atLeast?: string; below?: string } {
  if (labelPartition) return { atLeast: query.minConfidence !== undefined ? confidenceSortKey(query.minConfidence) : undefined };
  // Status sort keys are `<updatedAt>#<imageId>`; `~` sorts after every id, so `to` itself is included.
  return { atLeast: query.from, below: query.to === undefined ? undefined : `${query.to}#~` };
}

/**
 * How many index entries one Query reads. When the partition and its key range already say everything the query asks
 * (a label with its minimum confidence; a status with its time window), every entry is a match, so a page reads
 * exactly `limit` entries: reading more would fetch entries, and for status partitions whole image items, that the
 * page never shows. Other filters drop some entries, so a read takes twice the page (at least 25, at most 200).
 */
export function readSize(query: ImageListQuery, labelPartition: boolean, filter: IndexFilter | undefined): number {
  // Label items exist for succeeded images only, and carry no text; image items carry no label index.
  // The media type is checked on the image item only.
  const checkedOnlyInMemory =
    query.mediaType !== undefined || (labelPartition ? query.text !== undefined || query.status === 'FAILED' : query.label !== undefined);
  if (filter === undefined && !checkedOnlyInMemory) return query.limit;
  return Math.min(200, Math.max(query.limit * 2, 25));
}

/**
 * The size of a further read of a partition that did not fill the page: what is still missing at the share of entries
 * the filter kept so far, with a quarter to spare (within 25 and 200), so a selective filter costs one more Query
 * rather than several; a partition that needs no filter reads just what is missing.
 */
export function nextReadSize(missing: number, read: number, kept: number, exact: boolean): number {
  if (exact) return Math.max(missing, 1);
  const wanted = kept === 0 ? 200 : Math.ceil(((missing * read) / kept) * 1.25);
  return Math.min(200, Math.max(25, wanted));
}

/** One partition being read: entries read but not yet handed out, how far DynamoDB got, and where to resume. */
class PartitionStream {
  buffer: IndexEntry[] = [];
  frontier?: string;
  exhausted: boolean;
  resumeBelow?: string;
  /** Entries DynamoDB read from this partition in this request, and how many passed its filter. */
  read = 0;
  kept = 0;

  constructor(
    readonly partition: IndexPartition,
    start: string | null | undefined,
  ) {
    this.exhausted = start === null;
    this.resumeBelow = start === null || start === FROM_TOP ? undefined : start;
    this.frontier = this.resumeBelow;
  }
}

/**
 * Lists images matching the query, newest (or most confident) first, from the caller's partitions only.
 * Several partitions (status ALL) are merged by sort key, which ends in the imageId and so is unique. Each partition
 * resumes exactly below the last entry it handed out or DynamoDB skipped, which is what the cursor records.
 * Entries are filtered in DynamoDB where the index carries the attribute, and every image is checked again in full.
 */
export async function listImages(query: ImageListQuery, scope: ListScope, index: ImageIndex, position?: ListPosition): Promise<ImagePage> {
  const partitions = partitionsFor(query, scope);
  const labelPartition = query.sort === 'confidence' && query.label !== undefined;
  const range = keyRange(query, labelPartition);
  const filter = indexFilterFor(query, labelPartition ? 'label' : 'status');
  const streams = partitions.map((partition, i) => new PartitionStream(partition, position ? position[i] : undefined));
  const firstRead = readSize(query, labelPartition, filter);
  const exact = firstRead === query.limit;
  let handedOut = 0;
  const page: ImagePage = { items: [], readUnits: 0, scanned: 0 };

  const fill = async (stream: PartitionStream) => {
    const below = [stream.frontier, range.below].filter((key): key is string => key !== undefined).sort()[0];
    const size = stream.read === 0 ? firstRead : nextReadSize(query.limit - handedOut, stream.read, stream.kept, exact);
    const read = await index.queryPartition(stream.partition, { below, atLeast: range.atLeast }, size, filter);
    stream.read += read.scanned;
    stream.kept += read.entries.length;
    page.scanned += read.scanned;
    page.readUnits += read.readUnits;
    stream.buffer.push(...read.entries);
    stream.frontier = read.frontier ?? read.entries.at(-1)?.sortKey ?? stream.frontier;
    stream.exhausted = read.exhausted;
    if (stream.buffer.length === 0) stream.resumeBelow = stream.frontier;
  };

  /** The next entry in merged order; a partition is read further while it could still hold a greater one. */
  const next = async (): Promise<IndexEntry | undefined> => {
    for (;;) {
      let best: PartitionStream | undefined;
      for (const stream of streams)
        if (stream.buffer.length > 0 && (!best || stream.buffer[0].sortKey > best.buffer[0].sortKey)) best = stream;
      const head = best?.buffer[0].sortKey;
      const needy = streams.find(
        (stream) =>
          !stream.exhausted &&
          stream.buffer.length === 0 &&
          (head === undefined || stream.frontier === undefined || stream.frontier > head),
      );
      if (needy) {
        if (page.scanned >= EXAMINE_BUDGET) return undefined;
        await fill(needy);
        continue;
      }
      if (!best) return undefined;
      const entry = best.buffer.shift() as IndexEntry;
      // Everything this partition read above its frontier and did not buffer was filtered out by DynamoDB.
      best.resumeBelow = best.buffer.length === 0 ? best.frontier : entry.sortKey;
      handedOut += 1;
      return entry;
    }
  };

  while (page.items.length < query.limit) {
    const batch: IndexEntry[] = [];
    while (batch.length < query.limit - page.items.length) {
      const entry = await next();
      if (!entry) break;
      batch.push(entry);
    }
    if (batch.length === 0) break;
    const missing = batch.filter((entry) => !entry.item).map((entry) => entry.imageId);
    const fetched = missing.length > 0 ? await index.getImages(missing) : { items: new Map<string, ImageItem>(), readUnits: 0 };
    page.readUnits += fetched.readUnits;
    for (const entry of batch) {
      const item = entry.item ?? fetched.items.get(entry.imageId);
      if (item && matchesImageQuery(item, query)) page.items.push({ item, sortKey: entry.sortKey });
    }
  }

  const done = streams.every((stream) => stream.exhausted && stream.buffer.length === 0);
  if (!done)
    page.next = streams.map((stream) => (stream.exhausted && stream.buffer.length === 0 ? null : (stream.resumeBelow ?? FROM_TOP)));
  return page;
}
