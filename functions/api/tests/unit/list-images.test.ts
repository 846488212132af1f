import fc from 'fast-check';
import { GSI1, GSI2, labelIndexPk, ownerLabelIndexPk, ownerStatusIndexPk, statusIndexPk } from '@smart-image-pipeline/contracts';
import type { ImageItem } from '../../src/images/image-item';
import { matchesImageQuery } from '../../src/images/image-filters';
import { parseImageListQuery, type ImageListQuery } from '../../src/images/image-query';
import {
  confidenceSortKey,
  EXAMINE_BUDGET,
  indexFilterFor,
  listImages,
  nextReadSize,
  type ImageIndex,
  type IndexEntry,
  type IndexFilter,
  type IndexPartition,
  type ListPosition,
  type ListScope,
} from '../../src/images/list-images';

const OWNER = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const OTHER = '0f8fad5b-d9cb-469f-a165-70867728950e';
const MINE: ListScope = { kind: 'owner', owner: OWNER };

/**
 * An in-memory GSI1 and GSI2 with DynamoDB's paging rules: descending order, Limit counts entries read before the
 * filter, LastEvaluatedKey when cut. A filter drops what `dropped` says DynamoDB would (entries whose image does not
 * match the query), which is what indexFilterFor's conditions can decide.
 */
class MemoryIndex implements ImageIndex {
  readonly partitions = new Map<string, IndexEntry[]>();
  readonly images = new Map<string, ImageItem>();
  query?: ImageListQuery;
  reads = 0;

  add(item: ImageItem, labels: Array<[string, number]> = []): void {
    const owner = item.owner ?? OWNER;
    this.images.set(item.imageId, { owner, ...item });
    const image = { sortKey: `${item.updatedAt}#${item.imageId}`, imageId: item.imageId, item: { owner, ...item } };
    this.push(`${GSI1}|${statusIndexPk(item.status as 'SUCCEEDED')}`, image);
    this.push(`${GSI2}|${ownerStatusIndexPk(owner, item.status as 'SUCCEEDED')}`, image);
    for (const [name, confidence] of labels) {
      const entry = { sortKey: `${confidenceSortKey(confidence)}#${item.imageId}`, imageId: item.imageId };
      this.push(`${GSI1}|${labelIndexPk(name)}`, entry);
      this.push(`${GSI2}|${ownerLabelIndexPk(owner, name)}`, entry);
    }
  }

  private push(partition: string, entry: IndexEntry): void {
    const entries = this.partitions.get(partition) ?? [];
    entries.push(entry);
    entries.sort((a, b) => (a.sortKey < b.sortKey ? 1 : -1));
    this.partitions.set(partition, entries);
  }

  async queryPartition(partition: IndexPartition, range: { below?: string; atLeast?: string }, limit: number, filter?: IndexFilter) {
    this.reads += 1;
    const all = (this.partitions.get(`${partition.index}|${partition.key}`) ?? []).filter(
      (entry) =>
        (range.below === undefined || entry.sortKey < range.below) && (range.atLeast === undefined || entry.sortKey >= range.atLeast),
    );
    const read = all.slice(0, limit);
    const kept =
      filter && this.query
        ? read.filter((entry) =>
            matchesImageQuery(this.images.get(entry.imageId) as ImageItem, {
              ...(this.query as ImageListQuery),
              label: undefined,
              minConfidence: undefined,
            }),
          )
        : read;
    const exhausted = all.length <= limit;
    return {
      entries: kept,
      exhausted,
      frontier: exhausted ? undefined : read.at(-1)?.sortKey,
      scanned: read.length,
      readUnits: read.length * 0.5,
    };
  }

  async getImages(ids: readonly string[]) {
    return {
      items: new Map(ids.filter((id) => this.images.has(id)).map((id) => [id, this.images.get(id) as ImageItem])),
      readUnits: ids.length,
    };
  }
}

function id(n: number): string {
  return n.toString(16).padStart(32, '0');
}

function time(n: number): string {
  return new Date(Date.UTC(2026, 10, 25) + n * 60_000).toISOString();
}

function image(n: number, extra: Partial<ImageItem> = {}): ImageItem {
  return { imageId: id(n), owner: OWNER, status: 'SUCCEEDED', updatedAt: time(n), labels: [], ...extra };
}

async function collect(index: MemoryIndex, query: string, scope: ListScope = MINE): Promise<string[]> {
  const parsed = parseImageListQuery(new URLSearchParams(query), { withOwner: scope.kind === 'all' });
  index.query = parsed;
  const ids: string[] = [];
  let position: ListPosition | undefined;
  for (let page = 0; page < 500; page += 1) {
    const result = await listImages(parsed, scope, index, position);
    ids.push(...result.items.map(({ item }) => item.imageId));
    if (!result.next) return ids;
    position = result.next;
  }
  throw new Error('the listing never ended');
}

describe('listImages', () => {
  it('pages through the newest images without gaps or repeats', async () => {
    // Prepare
    const index = new MemoryIndex();
    for (let n = 1; n <= 23; n += 1) index.add(image(n));

    // Act
    const ids = await collect(index, 'limit=5');

    // Assess
    expect(ids).toEqual(Array.from({ length: 23 }, (_, i) => id(23 - i)));
  });

  it("reads the caller's own partitions only, and every owner's for an admin", async () => {
    // Prepare
    const index = new MemoryIndex();
    for (let n = 1; n <= 6; n += 1) index.add(image(n, { owner: n % 2 === 0 ? OTHER : OWNER }));

    // Act
    const mine = await collect(index, 'limit=2');
    const all = await collect(index, 'limit=2', { kind: 'all' });
    const theirs = await collect(index, `owner=${OTHER}`, { kind: 'all' });

    // Assess
    expect(mine).toEqual([5, 3, 1].map(id));
    expect(all).toEqual([6, 5, 4, 3, 2, 1].map(id));
    expect(theirs).toEqual([6, 4, 2].map(id));
  });

  it('finds "videos with a dog": the label search narrowed to videos (or to images), across pages', async () => {
    // Prepare: a dog in every image; every third one is a video.
    const index = new MemoryIndex();
    const dog = {
      analysis: { sections: { labels: { title: 'Labels', detector: 'DetectLabels', items: [{ name: 'Dog', confidence: 90 }] } } },
    };
    for (let n = 1; n <= 12; n += 1) index.add(image(n, { ...dog, ...(n % 3 === 0 ? { mediaType: 'video' } : {}) }), [['Dog', 90 - n]]);

    // Act
    const videos = await collect(index, 'label=dog&mediaType=video&limit=2');
    const images = await collect(index, 'label=dog&mediaType=image&limit=3');
    const newestVideos = await collect(index, 'mediaType=video&limit=1');

    // Assess
    expect(videos).toEqual([3, 6, 9, 12].map(id));
    expect(images).toEqual([1, 2, 4, 5, 7, 8, 10, 11].map(id));
    expect(newestVideos).toEqual([12, 9, 6, 3].map(id));
    expect(() => parseImageListQuery(new URLSearchParams('mediaType=audio'))).toThrow('"mediaType" must be one of image, video.');
  });

  it("filters by pipeline version within the caller's own images, counting items from before versions as v1", async () => {
    // Prepare
    const index = new MemoryIndex();
    for (let n = 1; n <= 12; n += 1) {
      const version = n % 3 === 0 ? 'v2' : n % 3 === 1 ? 'v1' : undefined;
      index.add(image(n, { owner: n > 10 ? OTHER : OWNER, ...(version ? { pipelineVersion: version } : {}) }));
    }

    // Act
    const v2 = await collect(index, 'version=v2&limit=2');
    const v1 = await collect(index, 'version=v1');
    const bad = () => parseImageListQuery(new URLSearchParams('version=latest'));

    // Assess
    expect(v2).toEqual([9, 6, 3].map(id));
    expect(v1).toEqual([10, 8, 7, 5, 4, 2, 1].map(id));
    expect(bad).toThrow('"version" must be a pipeline version name such as v2.');
  });

  it('merges succeeded and failed images by time for status=ALL', async () => {
    // Prepare
    const index = new MemoryIndex();
    for (let n = 1; n <= 9; n += 1) index.add(image(n, { status: n % 3 === 0 ? 'FAILED' : 'SUCCEEDED' }));

    // Act
    const ids = await collect(index, 'status=ALL&limit=4');

    // Assess
    expect(ids).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1].map(id));
  });

  it('applies faces, text, moderation and time filters across pages', async () => {
    // Prepare
    const index = new MemoryIndex();
    for (let n = 1; n <= 40; n += 1)
      index.add(image(n, { faceCount: n % 4 === 0 ? 1 : 0, textContent: n % 5 === 0 ? 'open 24 hours' : '', moderated: n === 20 }));

    // Act
    const faces = await collect(index, 'hasFaces=true&limit=3');
    const text = await collect(index, 'text=24%20HOURS&limit=3');
    const flagged = await collect(index, 'moderated=true');
    const window = await collect(index, `from=${time(10)}&to=${time(12)}`);

    // Assess
    expect(faces).toEqual([40, 36, 32, 28, 24, 20, 16, 12, 8, 4].map(id));
    expect(text).toEqual([40, 35, 30, 25, 20, 15, 10, 5].map(id));
    expect(flagged).toEqual([id(20)]);
    expect(window).toEqual([12, 11, 10].map(id));
  });

  it('sorts a label search by confidence from its partition and honours the minimum', async () => {
    // Prepare
    const index = new MemoryIndex();
    index.add(image(1, { labels: [{ name: 'Dog', confidence: 91.5 }] }), [['Dog', 91.5]]);
    index.add(image(2, { labels: [{ name: 'Dog', confidence: 99 }] }), [['Dog', 99]]);
    index.add(image(3, { labels: [{ name: 'Dog', confidence: 72 }] }), [['Dog', 72]]);
    index.add(image(4, { labels: [{ name: 'Cat', confidence: 98 }] }), [['Cat', 98]]);

    // Act
    const ids = await collect(index, 'label=dog&minConfidence=80&limit=1');

    // Assess
    expect(ids).toEqual([id(2), id(1)]);
  });

  it('filters by label newest-first when asked, matching parents too', async () => {
    // Prepare
    const index = new MemoryIndex();
    index.add(image(1, { labels: [{ name: 'Dog', confidence: 90, parents: ['Animal'] }] }));
    index.add(image(2, { labels: [{ name: 'Car', confidence: 90 }] }));
    index.add(image(3, { labels: [{ name: 'Cat', confidence: 60, parents: ['Animal'] }] }));

    // Act
    const animals = await collect(index, 'label=animal&sort=newest');
    const confident = await collect(index, 'label=animal&sort=newest&minConfidence=70');

    // Assess
    expect(animals).toEqual([id(3), id(1)]);
    expect(confident).toEqual([id(1)]);
  });

  it('reads exactly a page of entries when the partition says everything, and more when a filter drops some', async () => {
    // Prepare
    const index = new MemoryIndex();
    for (let n = 1; n <= 60; n += 1) {
      const confidence = 60 + (n % 40);
      index.add(image(n, { labels: [{ name: 'Dog', confidence }], faceCount: n % 2 }), [['Dog', confidence]]);
    }
    const page = async (search: string) => {
      const query = parseImageListQuery(new URLSearchParams(search));
      index.query = query;
      return listImages(query, MINE, index);
    };

    // Act
    const label = await page('label=dog&minConfidence=60&limit=5');
    const newest = await page('from=2026-11-25T00:00:00Z&limit=5');
    const filtered = await page('hasFaces=true&limit=5');

    // Assess
    expect([label.items.length, label.scanned]).toEqual([5, 5]);
    expect([newest.items.length, newest.scanned]).toEqual([5, 5]);
    expect(filtered.scanned).toBeGreaterThanOrEqual(25);
  });

  it('sizes the next read by the share the filter kept, so a selective filter fills a page in two queries', async () => {
    // Prepare: one image in six has a face
    const index = new MemoryIndex();
    for (let n = 1; n <= 600; n += 1) index.add(image(n, { faceCount: n % 6 === 0 ? 1 : 0 }));
    const query = parseImageListQuery(new URLSearchParams('hasFaces=true&limit=24'));
    index.query = query;

    // Act
    const page = await listImages(query, MINE, index);

    // Assess
    expect(page.items).toHaveLength(24);
    expect(index.reads).toBe(2);
    expect(nextReadSize(16, 48, 8, false)).toBe(120);
    expect(nextReadSize(16, 48, 0, false)).toBe(200);
    expect(nextReadSize(3, 24, 21, true)).toBe(3);
  });

  it('returns a short page with a cursor instead of reading without bound', async () => {
    // Prepare
    const index = new MemoryIndex();
    for (let n = 1; n <= EXAMINE_BUDGET + 300; n += 1) index.add(image(n));
    const query = parseImageListQuery(new URLSearchParams('hasFaces=true'));

    // Act
    const first = await listImages(query, MINE, index);

    // Assess
    expect(first.items).toEqual([]);
    expect(first.next).toBeDefined();
    expect(first.scanned).toBeLessThanOrEqual(EXAMINE_BUDGET + 200);
  });

  it('lists exactly what a full scan finds, for any images, filters and page size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            minute: fc.integer({ min: 0, max: 500 }),
            failed: fc.boolean(),
            faces: fc.boolean(),
            moderated: fc.boolean(),
            dog: fc.option(fc.integer({ min: 10, max: 100 })),
            mine: fc.boolean(),
          }),
          { maxLength: 60 },
        ),
        fc.record({
          status: fc.constantFrom('SUCCEEDED', 'FAILED', 'ALL'),
          hasFaces: fc.option(fc.boolean()),
          moderated: fc.option(fc.boolean()),
          dog: fc.boolean(),
          limit: fc.integer({ min: 1, max: 7 }),
        }),
        async (rows, filters) => {
          // Prepare
          const index = new MemoryIndex();
          rows.forEach((row, n) => {
            const labels: Array<[string, number]> = row.dog === null ? [] : [['Dog', row.dog]];
            index.add(
              image(n + 1, {
                updatedAt: `${time(row.minute).slice(0, 19)}.${String(n).padStart(3, '0')}Z`,
                owner: row.mine ? OWNER : OTHER,
                status: row.failed ? 'FAILED' : 'SUCCEEDED',
                faceCount: row.faces ? 2 : 0,
                moderated: row.moderated,
                labels: labels.map(([name, confidence]) => ({ name, confidence })),
              }),
              row.failed ? [] : labels,
            );
          });
          const params = new URLSearchParams({
            limit: String(filters.limit),
            ...(filters.dog ? { label: 'dog' } : { status: filters.status }),
          });
          if (filters.hasFaces !== null) params.set('hasFaces', String(filters.hasFaces));
          if (filters.moderated !== null) params.set('moderated', String(filters.moderated));
          const query = parseImageListQuery(params);

          // Act
          const listed = await collect(index, params.toString());

          // Assess
          const sortKey = (item: ImageItem) =>
            filters.dog
              ? `${confidenceSortKey((item.labels as Array<{ confidence: number }>)[0].confidence)}#${item.imageId}`
              : `${item.updatedAt}#${item.imageId}`;
          const expected = [...index.images.values()]
            .filter((item) => item.owner === OWNER && (!filters.dog || item.status === 'SUCCEEDED') && matchesImageQuery(item, query))
            .sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : -1))
            .map((item) => item.imageId);
          expect(listed).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('indexFilterFor', () => {
  it('lets entries without the attribute through, to be checked on the image item', () => {
    // Act
    const filter = indexFilterFor(
      parseImageListQuery(new URLSearchParams('label=dog&hasFaces=false&moderated=true&from=2026-11-01')),
      'label',
    );

    // Assess
    expect(filter?.expression).toBe(
      '(attribute_not_exists(#faceCount) OR #faceCount = :zero) AND (attribute_not_exists(#moderated) OR #moderated = :moderated) AND (attribute_not_exists(#updatedAt) OR #updatedAt BETWEEN :from AND :to)',
    );
    expect(filter?.values).toEqual({ ':zero': 0, ':moderated': true, ':from': '2026-11-01T00:00:00.000Z', ':to': '~' });
  });

  it('filters image items by text but leaves time to the key condition', () => {
    // Act
    const filter = indexFilterFor(parseImageListQuery(new URLSearchParams('text=Open&from=2026-11-01')), 'status');

    // Assess
    expect(filter).toEqual({
      expression: '(attribute_not_exists(#textContent) OR contains(#textContent, :text))',
      names: { '#textContent': 'textContent' },
      values: { ':text': 'open' },
    });
    expect(indexFilterFor(parseImageListQuery(new URLSearchParams('')), 'status')).toBeUndefined();
  });
});
