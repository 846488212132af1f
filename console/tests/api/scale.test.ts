import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startConsoleUnderTest, type ConsoleUnderTest } from '../support/console-stack';

jest.setTimeout(240_000);

const IMAGES = 1000;
let stack: ConsoleUnderTest;
const timings: Record<string, string> = {};

function id(n: number): string {
  return n.toString(16).padStart(32, '0');
}

/** Image items shaped as StoreMetadata writes them (docs/contracts.md), plus their label items. */
function itemsFor(n: number): Array<Record<string, unknown>> {
  const imageId = id(n);
  const updatedAt = new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();
  const failed = n % 25 === 0;
  const dogConfidence = 50 + (n % 50);
  const labels = n % 2 === 0 ? [{ name: 'Dog', confidence: dogConfidence, parents: ['Animal'], instances: 1, boxes: [] }] : [{ name: 'Car', confidence: 80, parents: [], instances: 1, boxes: [] }];
  const image = {
    PK: `IMAGE#${imageId}`,
    SK: 'IMAGE',
    GSI1PK: failed ? 'STATUS#FAILED' : 'STATUS#SUCCEEDED',
    GSI1SK: `${updatedAt}#${imageId}`,
    imageId,
    status: failed ? 'FAILED' : 'SUCCEEDED',
    revision: n.toString(16).padStart(16, '0'),
    source: { bucket: 'uploads', key: `uploads/seed/${n}.jpg`, versionId: null },
    originalName: `${n}.jpg`,
    updatedAt,
    createdAt: updatedAt,
    labels: failed ? [] : labels,
    faceCount: n % 50 === 1 ? 2 : 0,
    textContent: n % 100 === 7 ? 'open 24 hours' : '',
    moderated: false,
    variants: [{ key: `images/${imageId}/x/w256.webp`, format: 'webp', width: 256, height: 192, bytes: 1000 }],
    ...(failed ? { error: { name: 'CorruptImageError', cause: 'seeded' } } : {}),
  };
  if (failed) return [image];
  return [
    image,
    ...labels.flatMap((label) =>
      [label.name, ...label.parents].map((name) => ({
        PK: `IMAGE#${imageId}`,
        SK: `LABEL#${name}`,
        GSI1PK: `LABEL#${name.toLowerCase()}`,
        GSI1SK: `${String(Math.round(label.confidence * 1000)).padStart(6, '0')}#${imageId}`,
        imageId,
        label: name,
        confidence: label.confidence,
      })),
    ),
  ];
}

async function listAll(query: string): Promise<{ items: any[]; requests: number; ms: number }> {
  const started = performance.now();
  const items: any[] = [];
  let cursor: string | null = null;
  let requests = 0;
  do {
    const response = await fetch(`${stack.console.url}/api/images?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: any[]; nextCursor: string | null };
    requests += 1;
    items.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor && requests < 200);
  return { items, requests, ms: Math.round(performance.now() - started) };
}

beforeAll(async () => {
  stack = await startConsoleUnderTest({ withVision: false });
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.edgeUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  const all = Array.from({ length: IMAGES }, (_, index) => itemsFor(index + 1)).flat();
  for (let start = 0; start < all.length; start += 25) {
    await documents.send(new BatchWriteCommand({ RequestItems: { [stack.resources.tableName]: all.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
});

afterAll(async () => {
  // Numbers for the report, not assertions: this machine's speed is no contract.
  console.log(`console listing over ${IMAGES} images: ${JSON.stringify(timings)}`);
  await stack?.stop();
});

describe(`listing ${IMAGES} images`, () => {
  it('pages through every succeeded image once, newest first, 100 at a time', async () => {
    // Act
    const { items, requests, ms } = await listAll('limit=100');
    timings.allNewest = `${requests} pages in ${ms} ms`;

    // Assess
    expect(items).toHaveLength(IMAGES - IMAGES / 25);
    expect(new Set(items.map((item) => item.imageId)).size).toBe(items.length);
    expect(items[0].imageId).toBe(id(IMAGES - 1));
  });

  it('serves the first grid page quickly enough to measure', async () => {
    // Act
    const started = performance.now();
    const { items } = await fetch(`${stack.console.url}/api/images?limit=24`).then((response) => response.json() as Promise<{ items: unknown[] }>);
    timings.firstPage24 = `${Math.round(performance.now() - started)} ms`;

    // Assess
    expect(items).toHaveLength(24);
  });

  it('lists a label by confidence from the label index, honouring the minimum', async () => {
    // Act
    const { items, requests, ms } = await listAll('label=dog&sort=confidence&minConfidence=95&limit=50');
    timings.labelByConfidence = `${items.length} items, ${requests} pages in ${ms} ms`;

    // Assess
    const expected = Array.from({ length: IMAGES }, (_, index) => index + 1).filter((n) => n % 2 === 0 && n % 25 !== 0 && 50 + (n % 50) >= 95);
    expect(items.map((item) => item.imageId).sort()).toEqual(expected.map(id).sort());
    const confidences = items.map((item) => item.matchedLabel.confidence);
    expect([...confidences].sort((a, b) => b - a)).toEqual(confidences);
  });

  it('finds sparse matches (faces, text) across the whole table without losing any', async () => {
    // Act
    const faces = await listAll('hasFaces=true&limit=24');
    const text = await listAll('text=24%20hours&limit=24');
    const parents = await listAll('label=animal&limit=100');
    timings.sparseFaces = `${faces.items.length} items, ${faces.requests} requests in ${faces.ms} ms`;
    timings.textContains = `${text.items.length} items, ${text.requests} requests in ${text.ms} ms`;

    // Assess
    const numbers = Array.from({ length: IMAGES }, (_, index) => index + 1).filter((n) => n % 25 !== 0);
    expect(faces.items.map((item) => item.imageId).sort()).toEqual(numbers.filter((n) => n % 50 === 1).map(id).sort());
    expect(text.items.map((item) => item.imageId).sort()).toEqual(numbers.filter((n) => n % 100 === 7).map(id).sort());
    expect(parents.items).toHaveLength(numbers.filter((n) => n % 2 === 0).length);
  });

  it('lists all statuses merged by time', async () => {
    // Act
    const { items } = await listAll('status=ALL&limit=100');

    // Assess
    expect(items).toHaveLength(IMAGES);
    const times = items.map((item) => item.updatedAt);
    expect([...times].sort().reverse()).toEqual(times);
  });
});
