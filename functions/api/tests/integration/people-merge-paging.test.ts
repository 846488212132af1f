import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { faceIndexSk, faceSk, imagePk, ownerFacesIndexPk, peoplePk, PEOPLE_LOCK_SK } from '@smart-image-pipeline/contracts';
import { listAll, startWebAppStack, type TestUser, type WebAppStack } from '../support/web-app-stack';
import { writeSeed, type SeededImage } from '../support/seed-images';

jest.setTimeout(300_000);

/** People seeded for carol: more faces than fit on a page (60 people, 2-4 faces each, one face per photo each). */
const PEOPLE = 60;
let app: WebAppStack;
let carol: TestUser;
let dave: TestUser;
let documents: DynamoDBDocumentClient;
/** personId -> the image ids of carol's photos it is in. */
const carolsPeople = new Map<string, string[]>();
let davesPerson: string;
/** Dave's person is in this many of his photos. */
const DAVES_PHOTOS = 30;
let davesPhotos: string[];

const personId = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const faceId = (person: number, k: number) => `${person.toString(16).padStart(8, '0')}-0000-4000-8000-${k.toString(16).padStart(12, '0')}`;

/** Face items exactly as the analysis step writes them (dynamo-face-store.ts). */
function faceItem(owner: string, person: string, face: string, imageId: string, k: number) {
  const indexedAt = new Date(Date.UTC(2026, 0, 1) + k * 1000).toISOString();
  return {
    PK: imagePk(imageId),
    SK: faceSk(face),
    type: 'FACE',
    faceId: face,
    imageId,
    owner,
    personId: person,
    box: { left: 0.1, top: 0.1, width: 0.2, height: 0.2 },
    confidence: 90 + (k % 10),
    indexedAt,
    GSI2PK: ownerFacesIndexPk(owner),
    GSI1SK: faceIndexSk(person, indexedAt, imageId),
  };
}

async function put(items: Record<string, unknown>[]) {
  for (let start = 0; start < items.length; start += 25) {
    await documents.send(
      new BatchWriteCommand({
        RequestItems: { [app.stack.resources.tableName]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  }
}

beforeAll(async () => {
  app = await startWebAppStack({ withVision: false });
  carol = await app.createUser('carol@example.com');
  dave = await app.createUser('dave@example.com');
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: app.stack.edgeUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const seeded: SeededImage[] = await writeSeed(documents, app.stack.resources.tableName, 200, [carol.sub, dave.sub]);
  const carols = seeded.filter((image) => image.owner === carol.sub).map((image) => image.imageId);
  const daves = seeded.filter((image) => image.owner === dave.sub).map((image) => image.imageId);
  const items: Record<string, unknown>[] = [];
  let k = 0;
  for (let p = 1; p <= PEOPLE; p += 1) {
    const photos = Array.from({ length: 2 + (p % 3) }, (_, i) => carols[(p * 7 + i * 13) % carols.length]);
    const unique = [...new Set(photos)];
    carolsPeople.set(personId(p), unique);
    unique.forEach((imageId, i) => items.push(faceItem(carol.sub, personId(p), faceId(p, i), imageId, k++)));
  }
  // Dave's one person is in more of his photos than a page of a person's photos holds.
  davesPerson = personId(1000);
  davesPhotos = daves.slice(0, DAVES_PHOTOS);
  davesPhotos.forEach((imageId, i) => items.push(faceItem(dave.sub, davesPerson, faceId(1000, i), imageId, k++)));
  await put(items);
});

afterAll(async () => {
  documents?.destroy();
  await app?.stop();
});

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('GET /people paged', () => {
  it('pages through more faces than a page holds, each person once with all its faces', async () => {
    // Act
    const first = await carol.call('/people?limit=25');
    const all = await listAll(carol, '/people', 'limit=25');

    // Assess
    expect(first.body.items).toHaveLength(25);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(all.map((person) => person.personId)).toEqual([...carolsPeople.keys()].sort());
    for (const person of all) {
      expect(person.imageCount).toBe(carolsPeople.get(person.personId)!.length);
      expect(person.faceCount).toBe(carolsPeople.get(person.personId)!.length);
    }
  });

  it("refuses another user's cursor and never lists another user's people", async () => {
    // Prepare
    const carols = await carol.call('/people?limit=10');

    // Act
    const crossed = await dave.call(`/people?limit=10&cursor=${encodeURIComponent(carols.body.nextCursor)}`);
    const daves = await dave.call('/people');

    // Assess
    expect(crossed.status).toBe(400);
    expect(daves.body.items.map((person: { personId: string }) => person.personId)).toEqual([davesPerson]);
  });
});

describe('GET /people/{personId}/images paged', () => {
  it("pages through more of a person's photos than a page holds, newest first, each photo once", async () => {
    // Act
    const first = await dave.call(`/people/${davesPerson}/images?limit=7`);
    const all = await listAll(dave, `/people/${davesPerson}/images`, 'limit=7');
    const whole = await dave.call(`/people/${davesPerson}/images?limit=100`);

    // Assess
    expect(first.body.items).toHaveLength(7);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(all.map((item) => item.imageId)).toEqual([...davesPhotos].reverse());
    expect(whole.body.items.map((item: { imageId: string }) => item.imageId)).toEqual([...davesPhotos].reverse());
    expect(whole.body.nextCursor).toBeNull();
    expect(all.every((item) => item.faceBoxes.length === 1)).toBe(true);
  });

  it("refuses a forged cursor, another user's cursor and another person's cursor with a 400", async () => {
    // Prepare
    const daves = await dave.call(`/people/${davesPerson}/images?limit=5`);
    const carols = await carol.call(`/people/${personId(1)}/images?limit=1`);
    const forged = Buffer.from(JSON.stringify({ k: 'person-images', s: `owner:${dave.sub}`, f: davesPerson, p: 'x' })).toString(
      'base64url',
    );

    // Act
    const answers = await Promise.all([
      carol.call(`/people/${personId(1)}/images?cursor=${encodeURIComponent(daves.body.nextCursor)}`),
      dave.call(`/people/${davesPerson}/images?cursor=${encodeURIComponent(carols.body.nextCursor)}`),
      carol.call(`/people/${personId(2)}/images?cursor=${encodeURIComponent(carols.body.nextCursor)}`),
      dave.call(`/people/${davesPerson}/images?cursor=${forged}`),
      dave.call(`/people/${davesPerson}/images?cursor=not-a-cursor!`),
    ]);

    // Assess
    expect(carols.body.nextCursor).toEqual(expect.any(String));
    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400, 400]);
  });
});

describe('merging and naming people', () => {
  const [source, target] = [personId(5), personId(9)];

  it('refuses a self-merge (400), a person of another user (404) and a merge by another user (404)', async () => {
    // Act
    const self = await carol.call(`/people/${source}/merge`, json({ into: source }));
    const intoDaves = await carol.call(`/people/${source}/merge`, json({ into: davesPerson }));
    const byDave = await dave.call(`/people/${source}/merge`, json({ into: davesPerson }));
    const malformed = await carol.call(`/people/${source}/merge`, json({ into: 'someone' }));

    // Assess
    expect([self.status, intoDaves.status, byDave.status, malformed.status]).toEqual([400, 404, 404, 400]);
  });

  it("moves every face and photo of the merged person to the target, in the listing and in the person's photos", async () => {
    // Act
    const merged = await carol.call(`/people/${source}/merge`, json({ into: target }));
    const all = await listAll(carol, '/people', 'limit=25');
    const targetPhotos = await carol.call(`/people/${target}/images`);
    const sourcePhotos = await carol.call(`/people/${source}/images`);
    const again = await carol.call(`/people/${target}/merge`, json({ into: source }));
    const lock = await documents.send(
      new GetCommand({ TableName: app.stack.resources.tableName, Key: { PK: peoplePk(carol.sub), SK: PEOPLE_LOCK_SK } }),
    );

    // Assess
    const expectedPhotos = new Set([...carolsPeople.get(source)!, ...carolsPeople.get(target)!]);
    expect(merged.status).toBe(200);
    expect(merged.body).toEqual({ personId: target, merged: source });
    expect(all.map((person) => person.personId)).not.toContain(source);
    expect(all).toHaveLength(PEOPLE - 1);
    expect(all.find((person) => person.personId === target)).toMatchObject({
      imageCount: expectedPhotos.size,
      faceCount: carolsPeople.get(source)!.length + carolsPeople.get(target)!.length,
      mergedFrom: [source],
    });
    expect(new Set(targetPhotos.body.items.map((item: { imageId: string }) => item.imageId))).toEqual(expectedPhotos);
    // One face a page: the pages cross from the target's faces to the merged person's, each face once.
    const byOne = await listAll(carol, `/people/${target}/images`, 'limit=1');
    expect(byOne).toHaveLength(carolsPeople.get(source)!.length + carolsPeople.get(target)!.length);
    expect(new Set(byOne.map((item) => item.imageId))).toEqual(expectedPhotos);
    // A link made before the merge shows the person it is now part of.
    expect(sourcePhotos.body.personId).toBe(target);
    expect(again.status).toBe(400);
    expect(lock.Item).toBeUndefined();
  });

  it("points an image's people section at the person a face is part of now", async () => {
    // Prepare: the people section AnalyseImage wrote for one of the merged person's photos.
    const imageId = carolsPeople.get(source)![0];
    await documents.send(
      new UpdateCommand({
        TableName: app.stack.resources.tableName,
        Key: { PK: imagePk(imageId), SK: 'IMAGE' },
        UpdateExpression: 'SET analysis.sections.people = :people',
        ExpressionAttributeValues: {
          ':people': {
            title: 'People',
            detector: 'IndexFaces',
            items: [{ name: 'Person', confidence: 99, boxes: [], attributes: { personId: source, faceId: faceId(5, 0) } }],
          },
        },
      }),
    );

    // Act
    const detail = await carol.call(`/images/${imageId}`);

    // Assess
    expect(detail.body.image.analysis.sections.people.items[0].attributes).toEqual({ personId: target, faceId: faceId(5, 0) });
  });

  it('names a person (owner only) and shows the name in the listing', async () => {
    // Act
    const named = await carol.call(`/people/${target}/name`, { ...json({ name: '  Grandma  ' }), method: 'PUT' });
    const byDave = await dave.call(`/people/${target}/name`, { ...json({ name: 'Not mine' }), method: 'PUT' });
    const all = await listAll(carol, '/people', 'limit=100');

    // Assess
    expect(named.body).toEqual({ personId: target, name: 'Grandma' });
    expect(byDave.status).toBe(404);
    expect(all.find((person) => person.personId === target)?.name).toBe('Grandma');
  });

  it("keeps a merged person listed when the target's own photos are all deleted", async () => {
    // Prepare: merge person 20 into person 21, then remove 21's own face items (as deleting its photos does).
    const [from, into] = [personId(20), personId(21)];
    await carol.call(`/people/${from}/merge`, json({ into }));
    for (const [i, imageId] of carolsPeople.get(into)!.entries())
      await documents.send(
        new DeleteCommand({ TableName: app.stack.resources.tableName, Key: { PK: imagePk(imageId), SK: faceSk(faceId(21, i)) } }),
      );

    // Act
    const all = await listAll(carol, '/people', 'limit=7');
    const photos = await carol.call(`/people/${into}/images`);

    // Assess
    const ids = all.map((person) => person.personId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(all.find((person) => person.personId === into)).toMatchObject({
      imageCount: carolsPeople.get(from)!.length,
      mergedFrom: [from],
    });
    expect(ids).not.toContain(from);
    expect(all).toHaveLength(PEOPLE - 2);
    expect(new Set(photos.body.items.map((item: { imageId: string }) => item.imageId))).toEqual(new Set(carolsPeople.get(from)));
  });
});
