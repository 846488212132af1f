import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { listAll, startWebAppStack, type TestUser, type WebAppStack } from '../support/web-app-stack';
import { writeSeed, type SeededImage } from '../support/seed-images';

jest.setTimeout(300_000);

const IMAGES = 1000;
let app: WebAppStack;
let carol: TestUser;
let dave: TestUser;
let seeded: SeededImage[];
const timings: Record<string, string> = {};

/** What a full scan of one owner's seeded images finds, newest first. */
function expected(owner: string, keep: (image: SeededImage) => boolean): string[] {
  return seeded
    .filter((image) => image.owner === owner && keep(image))
    .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1))
    .map((image) => image.imageId);
}

const hasLabel = (image: SeededImage, name: string) =>
  image.labels.some((label) => [label.name, ...label.parents].some((entry) => entry.toLowerCase() === name));

beforeAll(async () => {
  app = await startWebAppStack({ withVision: false });
  carol = await app.createUser('carol@example.com');
  dave = await app.createUser('dave@example.com');
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: app.stack.edgeUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  seeded = await writeSeed(documents, app.stack.resources.tableName, IMAGES, [carol.sub, dave.sub]);
});

afterAll(async () => {
  // Numbers for the report, not assertions: this machine's speed is no contract (npm run bench measures).
  console.log(`API listing over ${IMAGES} seeded images: ${JSON.stringify(timings)}`);
  await app?.stop();
});

async function timed(name: string, user: TestUser, listing: string, query: string): Promise<string[]> {
  const started = performance.now();
  const items = await listAll(user, listing, query);
  timings[name] = `${items.length} items in ${Math.round(performance.now() - started)} ms`;
  return items.map((item) => item.imageId);
}

describe(`listing ${IMAGES} seeded images of two users`, () => {
  it("pages through each user's succeeded images once, newest first", async () => {
    // Act
    const carols = await timed('allNewest', carol, '/images', 'limit=100');

    // Assess
    expect(carols).toEqual(expected(carol.sub, (image) => image.status === 'SUCCEEDED'));
  });

  it('lists a label by confidence from the owner-scoped label index, honouring the minimum', async () => {
    // Act
    const dogs = await timed('labelByConfidence', carol, '/images', 'label=dog&minConfidence=80&limit=50');

    // Assess
    const want = seeded.filter(
      (image) => image.owner === carol.sub && image.labels.some((label) => label.name === 'Dog' && label.confidence >= 80),
    );
    expect(dogs.sort()).toEqual(want.map((image) => image.imageId).sort());
  });

  it('answers a combined filter exactly as a full scan would', async () => {
    // Act
    const found = await timed(
      'combined',
      dave,
      '/images',
      'label=person&hasFaces=true&moderated=false&from=2026-01-01T02:00:00Z&to=2026-01-01T12:00:00Z&limit=24',
    );

    // Assess
    const want = seeded.filter(
      (image) =>
        image.owner === dave.sub &&
        image.status === 'SUCCEEDED' &&
        hasLabel(image, 'person') &&
        image.faceCount > 0 &&
        !image.moderated &&
        image.updatedAt >= '2026-01-01T02:00:00.000Z' &&
        image.updatedAt <= '2026-01-01T12:00:00.000Z',
    );
    expect(want.length).toBeGreaterThan(3);
    expect(found.sort()).toEqual(want.map((image) => image.imageId).sort());
  });

  it("finds sparse matches (text, parents) across all of a user's images without losing any", async () => {
    // Act
    const text = await timed('textContains', carol, '/images', 'text=hours&limit=24');
    const animals = await timed('parentLabel', carol, '/images', 'label=animal&limit=100');

    // Assess
    expect(text).toEqual(expected(carol.sub, (image) => image.text.includes('hours')));
    expect(animals.sort()).toEqual(expected(carol.sub, (image) => image.status === 'SUCCEEDED' && hasLabel(image, 'animal')).sort());
  });

  it('merges all statuses by time, and failures are their own listing', async () => {
    // Act
    const all = await timed('allStatuses', dave, '/images', 'status=ALL&limit=100');
    const failures = await timed('failures', dave, '/failures', 'limit=100');

    // Assess
    expect(all).toEqual(expected(dave.sub, () => true));
    expect(failures.length).toBeGreaterThan(5);
    expect(failures).toEqual(expected(dave.sub, (image) => image.status === 'FAILED'));
  });
});
