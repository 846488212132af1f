import {
  CreateCollectionCommand,
  DeleteFacesCommand,
  DescribeCollectionCommand,
  IndexFacesCommand,
  InvalidParameterException,
  ListFacesCommand,
  RekognitionClient,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  SearchFacesByImageCommand,
  SearchFacesCommand,
} from '@aws-sdk/client-rekognition';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { FaceCollectionStore } from '../../face-collections';
import { startRekognitionServer } from '../../server';
import { edgeClientConfig } from '../../../../edge/tests/support/edge-client';

const FIXTURES = join(__dirname, '..', '..', '..', '..', '..', 'tests', 'fixtures', 'images');
const fixture = (name: string) => readFile(join(FIXTURES, name));

// Generous: model loading and the group photo share 2 cores with other suites; this bounds a hang, it times nothing.
jest.setTimeout(300_000);

describe('local Rekognition face collections through @aws-sdk/client-rekognition', () => {
  let dataDir: string;
  let server: Awaited<ReturnType<typeof startRekognitionServer>>;
  let client: RekognitionClient;
  let face: Buffer;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'faces-'));
    server = await startRekognitionServer({ dataDir, workers: 1 });
    client = new RekognitionClient(edgeClientConfig(server.url));
    face = await fixture('ai-face.jpg');
  });

  afterAll(async () => {
    client?.destroy();
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates a collection once, with an ARN, and refuses calls on one that does not exist', async () => {
    // Act
    const created = await client.send(new CreateCollectionCommand({ CollectionId: 'lifecycle' }));
    const again = await client.send(new CreateCollectionCommand({ CollectionId: 'lifecycle' })).catch((error: unknown) => error);
    const missing = await client
      .send(new IndexFacesCommand({ CollectionId: 'nope', Image: { Bytes: face } }))
      .catch((error: unknown) => error);

    // Assess
    expect(created).toMatchObject({ StatusCode: 200, CollectionArn: 'arn:aws:rekognition:us-east-1:000000000000:collection/lifecycle' });
    expect(again).toBeInstanceOf(ResourceAlreadyExistsException);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
  });

  it('finds the same face in an edited copy and no stranger from a group photo above the default threshold', async () => {
    // Prepare: the face, a group of 13 other people, then a mirrored, smaller, re-compressed copy of the face.
    await client.send(new CreateCollectionCommand({ CollectionId: 'match' }));
    const indexed = await client.send(
      new IndexFacesCommand({ CollectionId: 'match', Image: { Bytes: face }, ExternalImageId: 'portrait' }),
    );
    const group = await client.send(
      new IndexFacesCommand({
        CollectionId: 'match',
        Image: { Bytes: await fixture('group-1.jpg') },
        ExternalImageId: 'group',
        MaxFaces: 100,
      }),
    );
    const copy = await sharp(face).flop().resize(400).jpeg({ quality: 60 }).toBuffer();

    // Act
    const byImage = await client.send(new SearchFacesByImageCommand({ CollectionId: 'match', Image: { Bytes: copy } }));
    const portraitFaceId = indexed.FaceRecords![0].Face!.FaceId!;
    const byId = await client.send(new SearchFacesCommand({ CollectionId: 'match', FaceId: portraitFaceId }));

    // Assess
    expect(indexed.FaceRecords).toHaveLength(1);
    expect(indexed.FaceRecords![0].Face).toMatchObject({ ExternalImageId: 'portrait', IndexFacesModelVersion: expect.any(String) });
    expect(group.FaceRecords!.length).toBeGreaterThanOrEqual(10);
    expect(byImage.FaceMatches!.map((match) => match.Face!.ExternalImageId)).toEqual(['portrait']);
    expect(byImage.FaceMatches![0].Similarity).toBeGreaterThanOrEqual(90);
    expect(byImage.SearchedFaceBoundingBox).toEqual(expect.objectContaining({ Width: expect.any(Number) }));
    // The searched face itself is never its own match; none of the 13 strangers reaches 80.
    expect(byId.SearchedFaceId).toBe(portraitFaceId);
    expect(byId.FaceMatches).toEqual([]);
  });

  it('lists faces page by page, deletes them, and reports only the ids that existed', async () => {
    // Prepare
    await client.send(new CreateCollectionCommand({ CollectionId: 'pages' }));
    const ids: string[] = [];
    for (const name of ['ai-face.jpg', 'ai-body.jpg', 'cgi-multiangle-1.jpg']) {
      const answer = await client.send(
        new IndexFacesCommand({ CollectionId: 'pages', Image: { Bytes: await fixture(name) }, ExternalImageId: name }),
      );
      ids.push(...answer.FaceRecords!.map((record) => record.Face!.FaceId!));
    }

    // Act
    const first = await client.send(new ListFacesCommand({ CollectionId: 'pages', MaxResults: 2 }));
    const second = await client.send(new ListFacesCommand({ CollectionId: 'pages', MaxResults: 2, NextToken: first.NextToken }));
    const deleted = await client.send(
      new DeleteFacesCommand({ CollectionId: 'pages', FaceIds: [ids[0], '00000000-0000-4000-8000-000000000000'] }),
    );
    const described = await client.send(new DescribeCollectionCommand({ CollectionId: 'pages' }));
    const searchDeleted = await client
      .send(new SearchFacesCommand({ CollectionId: 'pages', FaceId: ids[0] }))
      .catch((error: unknown) => error);

    // Assess
    expect(ids).toHaveLength(3);
    expect([...first.Faces!, ...second.Faces!].map((entry) => entry.FaceId)).toEqual(ids);
    expect(second.NextToken).toBeUndefined();
    expect(deleted.DeletedFaces).toEqual([ids[0]]);
    expect(deleted.UnsuccessfulFaceDeletions).toEqual([{ FaceId: '00000000-0000-4000-8000-000000000000', Reasons: ['FACE_NOT_FOUND'] }]);
    expect(described.FaceCount).toBe(2);
    expect(searchDeleted).toBeInstanceOf(InvalidParameterException);
  });

  it('keeps indexed faces on disk: a new store over the same folder finds them', async () => {
    // Prepare
    await client.send(new CreateCollectionCommand({ CollectionId: 'durable' }));
    const indexed = await client.send(new IndexFacesCommand({ CollectionId: 'durable', Image: { Bytes: face }, ExternalImageId: 'kept' }));

    // Act
    const reopened = await new FaceCollectionStore(dataDir, (id) => id).get('durable');

    // Assess
    expect(reopened.faces.map((entry) => [entry.FaceId, entry.ExternalImageId])).toEqual([[indexed.FaceRecords![0].Face!.FaceId, 'kept']]);
    expect(reopened.faces[0].embedding.length).toBeGreaterThan(100);
  });

  it('refuses an image without a face for SearchFacesByImage, and a malformed FaceId, with InvalidParameterException', async () => {
    // Prepare
    await client.send(new CreateCollectionCommand({ CollectionId: 'errors' }));

    // Act
    const [noFace, badId] = await Promise.allSettled([
      client.send(new SearchFacesByImageCommand({ CollectionId: 'errors', Image: { Bytes: await fixture('background.jpg') } })),
      client.send(new SearchFacesCommand({ CollectionId: 'errors', FaceId: 'not-a-face-id' })),
    ]);

    // Assess
    expect(noFace).toMatchObject({ status: 'rejected', reason: expect.any(InvalidParameterException) });
    expect(noFace.status === 'rejected' && (noFace.reason as Error).message).toMatch(/no faces in the image/);
    expect(badId).toMatchObject({ status: 'rejected', reason: expect.any(InvalidParameterException) });
  });
});
