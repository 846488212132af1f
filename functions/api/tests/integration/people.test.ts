import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { FIXTURES, startWebAppStack, uploadAs, type TestUser, type WebAppStack } from '../support/web-app-stack';

// Generous: the stack, the vision models and five runs share 2 cores with other suites.
jest.setTimeout(420_000);

let app: WebAppStack;
let alice: TestUser;
let bob: TestUser;
const uploads: Record<string, { imageId: string; key: string }> = {};

/** Every face vector in the stack's face collection, with the image it was indexed from. */
async function collectionFaces(): Promise<{ faceId: string; imageId?: string }[]> {
  const collections = app.stack.services.rekognition!.collections;
  const [collectionId] = (await collections.list()).filter((id) => id.endsWith('-faces'));
  return (await collections.get(collectionId)).faces.map((face) => ({ faceId: face.FaceId, imageId: face.ExternalImageId }));
}

beforeAll(async () => {
  app = await startWebAppStack({ parameterOverrides: { PipelineConfig: JSON.stringify({ groupFacesIntoPeople: true }) } });
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
});
