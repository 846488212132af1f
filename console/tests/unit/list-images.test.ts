import type { ImageItem } from '../../server/images/image-item';
import { parseImageListQuery } from '../../server/images/image-query';
import { confidenceSortKey, listImages, type ImageIndex, type IndexEntry } from '../../server/images/list-images';

/** An in-memory GSI1 with DynamoDB's paging rules: descending order, Limit per call, more-flag when cut. */
class MemoryIndex implements ImageIndex {
  readonly partitions = new Map<string, IndexEntry[]>();
  readonly images = new Map<string, ImageItem>();
  calls = 0;

  add(item: ImageItem, labels: Array<[string, number]> = []): void {
    this.images.set(item.imageId, item);
    this.push(`STATUS#${item.status}`, { sortKey: `${item.updatedAt}#${item.imageId}`, imageId: item.imageId, item });
    for (const [name, confidence] of labels) this.push(`LABEL#${name.toLowerCase()}`, { sortKey: `${confidenceSortKey(confidence)}#${item.imageId}`, imageId: item.imageId });
  }

  private push(partition: string, entry: IndexEntry): void {
    const entries = this.partitions.get(partition) ?? [];
    entries.push(entry);
    entries.sort((a, b) => (a.sortKey < b.sortKey ? 1 : -1));
    this.partitions.set(partition, entries);
  }

  async queryPartition(partition: string, range: { below?: string; atLeast?: string }, limit: number) {
    this.calls += 1;
    const all = (this.partitions.get(partition) ?? []).filter((entry) => (range.below === undefined || entry.sortKey < range.below) && (range.atLeast === undefined || entry.sortKey >= range.atLeast));
    return { entries: all.slice(0, limit), exhausted: all.length <= limit };
  }

  async getImages(ids: readonly string[]) {
    return new Map(ids.filter((id) => this.images.has(id)).map((id) => [id, this.images.get(id) as ImageItem]));
  }
}

function id(n: number): string {
  return n.toString(16).padStart(32, '0');
}

function image(n: number, extra: Partial<ImageItem> = {}): ImageItem {
  return { imageId: id(n), status: 'SUCCEEDED', updatedAt: `2026-11-25T12:${String(n).padStart(2, '0')}:00.000Z`, labels: [], ...extra };
}

async function collect(index: ImageIndex, query: string): Promise<string[]> {
  const parsed = parseImageListQuery(new URLSearchParams(query));
  const ids: string[] = [];
  let position: string | undefined;
  for (let page = 0; page < 100; page += 1) {
    const result = await listImages(parsed, index, position);
    ids.push(...result.items.map(({ item }) => item.imageId));
    if (!result.nextPosition) break;
    position = result.nextPosition;
  }
  return ids;
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

  it('merges succeeded and failed images by time for status=ALL', async () => {
    // Prepare
    const index = new MemoryIndex();
    for (let n = 1; n <= 9; n += 1) index.add(image(n, { status: n % 3 === 0 ? 'FAILED' : 'SUCCEEDED' }));

    // Act
    const ids = await collect(index, 'status=ALL&limit=4');

    // Assess
    expect(ids).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1].map(id));
  });

  it('applies faces, text and moderation filters across pages', async () => {
    // Prepare
    const index = new MemoryIndex();
    for (let n = 1; n <= 40; n += 1) index.add(image(n, { faceCount: n % 4 === 0 ? 1 : 0, textContent: n % 5 === 0 ? 'open 24 hours' : '', moderated: n === 20 }));

    // Act
    const faces = await collect(index, 'hasFaces=true&limit=3');
    const text = await collect(index, 'text=24%20HOURS&limit=3');
    const flagged = await collect(index, 'moderated=true');

    // Assess
    expect(faces).toEqual([40, 36, 32, 28, 24, 20, 16, 12, 8, 4].map(id));
    expect(text).toEqual([40, 35, 30, 25, 20, 15, 10, 5].map(id));
    expect(flagged).toEqual([id(20)]);
  });

  it('sorts by label confidence from the label partition and honours the minimum', async () => {
    // Prepare
    const index = new MemoryIndex();
    index.add(image(1, { labels: [{ name: 'Dog', confidence: 91.5 }] }), [['Dog', 91.5]]);
    index.add(image(2, { labels: [{ name: 'Dog', confidence: 99 }] }), [['Dog', 99]]);
    index.add(image(3, { labels: [{ name: 'Dog', confidence: 72 }] }), [['Dog', 72]]);
    index.add(image(4, { labels: [{ name: 'Cat', confidence: 98 }] }), [['Cat', 98]]);

    // Act
    const ids = await collect(index, 'label=dog&sort=confidence&minConfidence=80&limit=1');

    // Assess
    expect(ids).toEqual([id(2), id(1)]);
  });

  it('filters by label newest-first, matching parents too', async () => {
    // Prepare
    const index = new MemoryIndex();
    index.add(image(1, { labels: [{ name: 'Dog', confidence: 90, parents: ['Animal'] }] }));
    index.add(image(2, { labels: [{ name: 'Car', confidence: 90 }] }));
    index.add(image(3, { labels: [{ name: 'Cat', confidence: 60, parents: ['Animal'] }] }));

    // Act
    const animals = await collect(index, 'label=animal');
    const confident = await collect(index, 'label=animal&minConfidence=70');

    // Assess
    expect(animals).toEqual([id(3), id(1)]);
    expect(confident).toEqual([id(1)]);
  });

  it('returns a short page with a cursor instead of scanning without bound', async () => {
    // Prepare
    const index = new MemoryIndex();
    for (let n = 1; n <= 59; n += 1) index.add(image(n, { updatedAt: `2026-11-25T${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}:00.000Z` }));
    for (let n = 60; n <= 700; n += 1) index.add(image(n, { updatedAt: `2026-11-26T${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}:00.000Z` }));
    const query = parseImageListQuery(new URLSearchParams('hasFaces=true'));

    // Act
    const first = await listImages(query, index);

    // Assess
    expect(first.items).toEqual([]);
    expect(first.nextPosition).toBeDefined();
  });
});
