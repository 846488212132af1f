import { IndexFacesCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { FACES_INDEXING_SK, IMAGE_SK, imageFacesQuery, imagePk } from '@smart-image-pipeline/contracts';
import type { StoredCollectionFace } from '../../../../local/services/rekognition/face-collections';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { FIXTURES, startWebAppStack, uploadAs, type TestUser, type WebAppStack } from '../support/web-app-stack';

// Generous: the stack, the vision models and five runs share 2 cores with other suites.
jest.setTimeout(420_000);

let app: WebAppStack;
/** Function log lines as they are written, for a test to wait on one (CleanUpImage logs "Cleaned up" when done). */
const logListeners = new Set<(logicalId: string, line: string) => void>();
let alice: TestUser;
let bob: TestUser;
const uploads: Record<string, { imageId: string; key: string }> = {};

/** Every face vector in the stack's face collection, with the image it was indexed from. */
async function collectionFaces(): Promise<{ faceId: string; imageId?: string }[]> {
  const collections = app.stack.services.rekognition!.collections;
  return (await collections.get(await faceCollectionId())).faces.map((face) => ({ faceId: face.FaceId, imageId: face.ExternalImageId }));
}

async function faceCollectionId(): Promise<string> {
  const [collectionId] = (await app.stack.services.rekognition!.collections.list()).filter((id) => id.endsWith('-faces'));
  return collectionId;
}

/** The SDK clients a test uses to reach the stack's services through its edge, as AWS clients would. */
function edgeClients() {
  const options = { endpoint: app.stack.edgeUrl, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } };
  return {
    s3: new S3Client(options),
    rekognition: new RekognitionClient(options),
    documents: DynamoDBDocumentClient.from(new DynamoDBClient(options)),
  };
}

/** Resolves once CleanUpImageFunction has logged that it cleaned up the image (the deletion is done). */
function cleanedUp(imageId: string): Promise<void> {
  return new Promise((resolve) => {
    const listener = (logicalId: string, line: string) => {
      if (logicalId !== 'CleanUpImageFunction' || !line.includes('"Cleaned up"') || !line.includes(imageId)) return;
      logListeners.delete(listener);
      resolve();
    };
    logListeners.add(listener);
  });
}

/**
 * Holds the local collection's next IndexFaces that indexes faces, before (`before`) or after (`after`) its vectors
 * are added; `reached` resolves when the call is held, `release()` lets it go on. Wraps the stack's own store object,
 * which the local Rekognition service calls for every IndexFaces.
 */
function holdNextIndexing(when: 'before' | 'after') {
  const store = app.stack.services.rekognition!.collections;
  const add = store.add.bind(store);
  let arrive!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => (arrive = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  store.add = async (collectionId: string, faces: Parameters<typeof add>[1]): Promise<StoredCollectionFace[]> => {
    if (faces.length === 0) return add(collectionId, faces);
    store.add = add;
    if (when === 'before') {
      arrive();
      await released;
      return add(collectionId, faces);
    }
    const added = await add(collectionId, faces);
    arrive();
    await released;
    return added;
  };
  return { reached, release };
}

/** The image's face items and indexing marker in the table (strongly consistent). */
async function faceItemsOf(documents: DynamoDBDocumentClient, imageId: string) {
  const table = app.stack.resources.tableName;
  const faces = await documents.send(new QueryCommand(imageFacesQuery(table, imageId)));
  const marker = await documents.send(new GetCommand({ TableName: table, Key: { PK: imagePk(imageId), SK: FACES_INDEXING_SK } }));
  return { faces: faces.Items ?? [], marker: marker.Item };
}

beforeAll(async () => {
  app = await startWebAppStack({
    parameterOverrides: { PipelineConfig: JSON.stringify({ groupFacesIntoPeople: true }) },
    onLog: (logicalId, line) => logListeners.forEach((listener) => listener(logicalId, line)),
  });
  alice = await app.createUser('alice@example.com');
  bob = await app.createUser('bob@example.com');
  const face = await readFile(path.join(FIXTURES, 'ai-face.jpg'));
  // The same person again: mirrored, smaller and re-compressed (a different photo to the pipeline, not a near-duplicate).
  const copy = await sharp(face).flop().resize(500).jpeg({ quality: 70 }).toBuffer();
  uploads.face = await uploadAs(alice, face, 'portrait.jpg');
  uploads.copy = await uploadAs(alice, copy, 'portrait mirrored.jpg');
  uploads.landscape = await uploadAs(alice, 'background.jpg', 'landscape.jpg');
  uploads.bobsFace = await uploadAs(bob, face, 'same face, other owner.jpg');
  await app.stack.waitForIdle();
});

afterAll(async () => {
  await app?.stop();
});

describe('people (groupFacesIntoPeople on)', () => {
  let alicePersonId: string;

  it("groups one owner's photos of the same face into one person, with a cover face", async () => {
    // Act
    const people = await alice.call('/people');

    // Assess
    expect(people.status).toBe(200);
    expect(people.body.nextCursor).toBeNull();
    const [person] = people.body.items;
    expect(people.body.items).toHaveLength(1);
    expect(person).toMatchObject({ faceCount: 2, imageCount: 2, cover: { box: { width: expect.any(Number) } } });
    expect([uploads.face.imageId, uploads.copy.imageId]).toContain(person.cover.imageId);
    expect(person.cover.thumbnail.url).toMatch(/^http/);
    alicePersonId = person.personId;
  });

  it("lists the person's photos with the face's box, and records the person on each image's people section", async () => {
    // Act
    const photos = await alice.call(`/people/${alicePersonId}/images`);
    const detail = await alice.call(`/images/${uploads.copy.imageId}`);

    // Assess
    expect(photos.status).toBe(200);
    expect(photos.body.items.map((item: { imageId: string }) => item.imageId).sort()).toEqual(
      [uploads.face.imageId, uploads.copy.imageId].sort(),
    );
    expect(photos.body.items[0].faceBoxes).toHaveLength(1);
    const people = detail.body.image.analysis.sections.people;
    expect(people.items.map((item: { attributes: { personId: string } }) => item.attributes.personId)).toEqual([alicePersonId]);
  });

  it("never shows one user's person to another, though the face is the same", async () => {
    // Act
    const bobsPeople = await bob.call('/people');
    const alicesPersonAsBob = await bob.call(`/people/${alicePersonId}/images`);

    // Assess
    expect(bobsPeople.body.items).toHaveLength(1);
    expect(bobsPeople.body.items[0].personId).not.toBe(alicePersonId);
    expect(bobsPeople.body.items[0].imageCount).toBe(1);
    expect(alicesPersonAsBob.status).toBe(404);
  });

  it("records each face item with its upload's sourceOrder, which a deletion compares with its own", async () => {
    // Prepare
    const clients = edgeClients();
    const table = app.stack.resources.tableName;

    // Act
    const image = await clients.documents.send(
      new GetCommand({ TableName: table, Key: { PK: imagePk(uploads.face.imageId), SK: IMAGE_SK } }),
    );
    const { faces } = await faceItemsOf(clients.documents, uploads.face.imageId);
    for (const client of Object.values(clients)) client.destroy();

    // Assess
    expect(image.Item?.sourceOrder).toMatch(/^[0-9A-F]{32}$/);
    expect(faces.map((face) => face.sourceOrder)).toEqual([image.Item?.sourceOrder]);
  });

  it('refuses a malformed person id', async () => {
    // Act
    const answer = await alice.call('/people/not-a-person/images');

    // Assess
    expect(answer.status).toBe(400);
  });

  it('deleting an upload deletes its face vectors from the collection and its photo from the person', async () => {
    // Prepare
    const before = await collectionFaces();
    const s3 = new S3Client({ endpoint: app.stack.edgeUrl, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });

    // Act
    await s3.send(new DeleteObjectCommand({ Bucket: app.stack.resources.uploadsBucket, Key: uploads.copy.key }));
    await app.stack.waitForIdle();
    const after = await collectionFaces();
    const people = await alice.call('/people');
    s3.destroy();

    // Assess
    expect(before.filter((face) => face.imageId === uploads.copy.imageId)).toHaveLength(1);
    expect(after.filter((face) => face.imageId === uploads.copy.imageId)).toEqual([]);
    expect(after).toHaveLength(before.length - 1);
    expect(people.body.items).toEqual([expect.objectContaining({ personId: alicePersonId, imageCount: 1 })]);
  });

  it('deleting an upload also deletes face vectors a run indexed but died before recording', async () => {
    // Prepare: a run on bob's photo that died between IndexFaces and its face records left an extra vector tagged
    // with the image (IndexFaces through the edge, as the analysis function calls it) and its indexing marker.
    const clients = edgeClients();
    const table = app.stack.resources.tableName;
    const imageId = uploads.bobsFace.imageId;
    const indexed = await clients.rekognition.send(
      new IndexFacesCommand({
        CollectionId: await faceCollectionId(),
        ExternalImageId: imageId,
        Image: { Bytes: await readFile(path.join(FIXTURES, 'ai-face.jpg')) },
        MaxFaces: 1,
      }),
    );
    await clients.documents.send(
      new PutCommand({ TableName: table, Item: { PK: imagePk(imageId), SK: FACES_INDEXING_SK, type: 'FACES_INDEXING' } }),
    );
    const orphan = indexed.FaceRecords![0].Face!.FaceId!;
    const before = await collectionFaces();

    // Act
    await clients.s3.send(new DeleteObjectCommand({ Bucket: app.stack.resources.uploadsBucket, Key: uploads.bobsFace.key }));
    await app.stack.waitForIdle();
    const after = await collectionFaces();
    const marker = await clients.documents.send(new GetCommand({ TableName: table, Key: { PK: imagePk(imageId), SK: FACES_INDEXING_SK } }));
    for (const client of Object.values(clients)) client.destroy();

    // Assess: the recorded vector and the unrecorded one are both gone; other images' vectors stay.
    expect(before.filter((face) => face.imageId === imageId).map((face) => face.faceId)).toContain(orphan);
    expect(before.filter((face) => face.imageId === imageId)).toHaveLength(2);
    expect(after.filter((face) => face.imageId === imageId)).toEqual([]);
    expect(after).toHaveLength(before.length - 2);
    expect(marker.Item).toBeUndefined();
  });

  it.each(['before', 'after'] as const)(
    'deleting an upload while its IndexFaces runs (held %s adding the vectors until the deletion is done) leaves none of its vectors',
    async (when) => {
      // Prepare: a new user, so the other tests' people are not touched; IndexFaces is held at a gate.
      const carol = await app.createUser(`carol-${when}@example.com`);
      const clients = edgeClients();
      const others = (await collectionFaces()).length;
      const held = holdNextIndexing(when);
      const upload = await uploadAs(carol, 'ai-face.jpg', 'portrait.jpg');
      await held.reached;

      // Act: the deletion runs to its end while IndexFaces is held, then IndexFaces goes on.
      const done = cleanedUp(upload.imageId);
      await clients.s3.send(new DeleteObjectCommand({ Bucket: app.stack.resources.uploadsBucket, Key: upload.key }));
      await done;
      held.release();
      await app.stack.waitForIdle();
      const after = await collectionFaces();
      const left = await faceItemsOf(clients.documents, upload.imageId);
      const people = await carol.call('/people');
      for (const client of Object.values(clients)) client.destroy();

      // Assess: no vector, face item or marker of the deleted image; every other image's vectors are still there.
      expect(after.filter((face) => face.imageId === upload.imageId)).toEqual([]);
      expect(after).toHaveLength(others);
      expect(left).toEqual({ faces: [], marker: undefined });
      expect(people.body.items).toEqual([]);
    },
  );
});
