/**
 * CleanUpImage's face-vector deletion (createAwsDeps' deleteFaceVectors) against dynalite, an in-process DynamoDB
 * with the template's table, so the face items' and marker's queries and reads are answered by a real DynamoDB
 * implementation. The collection is an in-memory stand-in answering ListFaces and DeleteFaces as Rekognition does.
 */
import { DeleteFacesCommand, ListFacesCommand } from '@aws-sdk/client-rekognition';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { FACES_INDEXING_SK, faceSk, imagePk } from '@smart-image-pipeline/contracts';
import { createImagesTable, startLocalDynamoDb, type LocalDynamoDb } from '../../../../tests/statemachine/support/dynamodb-local';
import { createAwsDeps } from '../../src/aws-deps';

const TABLE = 'images';
const IMAGE = 'img-1';
// sourceOrders (32 hex): the deleted upload, its deletion, a later upload of the same key.
const UPLOAD = '0'.repeat(31) + '1';
const DELETION = '0'.repeat(31) + '2';
const LATER = '0'.repeat(31) + '3';

/** The stack's face collection as ListFaces/DeleteFaces see it: FaceId -> ExternalImageId. */
class Collection {
  readonly faces = new Map<string, string>();
  /** Awaited inside ListFaces after it read the faces, before it answers (a test changes the table there). */
  duringListing: () => Promise<void> = async () => undefined;
  listings = 0;

  async send(command: unknown): Promise<unknown> {
    if (command instanceof ListFacesCommand) {
      this.listings += 1;
      const faces = [...this.faces].map(([FaceId, ExternalImageId]) => ({ FaceId, ExternalImageId }));
      await this.duringListing();
      return { Faces: faces };
    }
    if (command instanceof DeleteFacesCommand) {
      const ids = command.input.FaceIds ?? [];
      for (const id of ids) this.faces.delete(id);
      return { DeletedFaces: ids };
    }
    throw new Error(`unexpected Rekognition call ${String(command)}`);
  }

  of(imageId: string): string[] {
    return [...this.faces].filter(([, external]) => external === imageId).map(([faceId]) => faceId);
  }
}

let dynamo: LocalDynamoDb;
let documents: DynamoDBDocumentClient;
let collection: Collection;

function deps() {
  return createAwsDeps({
    s3: {} as Pick<S3Client, 'send'>,
    db: documents,
    rekognition: collection,
    config: {
      uploadsBucketName: 'uploads',
      uploadsPrefix: 'uploads/',
      processedBucketName: 'processed',
      imagesTableName: TABLE,
      tombstoneDays: 7,
      faceCollectionId: 'stack-faces',
    },
    now: () => new Date('2026-12-06T04:00:00Z'),
    logger: { info: () => undefined },
  });
}

/** A face of the image: its vector in the collection and, unless `recorded` is false, its face item. */
async function face(faceId: string, sourceOrder: string | undefined, recorded = true): Promise<void> {
  collection.faces.set(faceId, IMAGE);
  if (!recorded) return;
  await documents.send(
    new PutCommand({
      TableName: TABLE,
      Item: { PK: imagePk(IMAGE), SK: faceSk(faceId), type: 'FACE', faceId, imageId: IMAGE, ...(sourceOrder ? { sourceOrder } : {}) },
    }),
  );
}

function marker(sourceOrder: string | undefined) {
  return documents.send(
    new PutCommand({
      TableName: TABLE,
      Item: { PK: imagePk(IMAGE), SK: FACES_INDEXING_SK, type: 'FACES_INDEXING', ...(sourceOrder ? { sourceOrder } : {}) },
    }),
  );
}

beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: dynamo.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await createImagesTable(client, TABLE);
  documents = DynamoDBDocumentClient.from(client);
});

afterAll(async () => {
  documents?.destroy();
  await dynamo?.stop();
});

beforeEach(async () => {
  collection = new Collection();
  collection.faces.set('other-image-face', 'img-2');
  // A fresh image partition per test: earlier tests' items are deleted through the same deps' item clean-up.
  await deps().deleteChildItems(IMAGE, 'F'.repeat(32));
});

describe("CleanUpImage's face-vector deletion", () => {
  it("deletes the faces of uploads up to the deletion and keeps a later upload's", async () => {
    // Prepare: one face of the deleted upload, one written before faces carried an order, one of a later upload.
    await face('deleted-upload-face', UPLOAD);
    await face('unordered-face', undefined);
    await face('later-upload-face', LATER);

    // Act
    const deleted = await deps().deleteFaceVectors(IMAGE, DELETION);

    // Assess
    expect(deleted).toBe(2);
    expect(collection.of(IMAGE)).toEqual(['later-upload-face']);
    expect(collection.faces.has('other-image-face')).toBe(true);
    expect(collection.listings).toBe(0);
  });

  it("lists the collection for a marker of the deleted upload, but never takes a later upload's recorded face", async () => {
    // Prepare: a run of the deleted upload died after IndexFaces (marker, an unrecorded vector).
    await marker(UPLOAD);
    await face('unrecorded-face', UPLOAD, false);
    await face('later-upload-face', LATER);

    // Act
    const deleted = await deps().deleteFaceVectors(IMAGE, DELETION);

    // Assess
    expect(deleted).toBe(1);
    expect(collection.of(IMAGE)).toEqual(['later-upload-face']);
    expect(collection.listings).toBe(1);
  });

  it("leaves a later upload's marker (and the vectors it may be indexing) to that upload", async () => {
    // Prepare
    await marker(LATER);
    await face('being-indexed', LATER, false);

    // Act
    const deleted = await deps().deleteFaceVectors(IMAGE, DELETION);

    // Assess
    expect(deleted).toBe(0);
    expect(collection.of(IMAGE)).toEqual(['being-indexed']);
    expect(collection.listings).toBe(0);
  });

  it("keeps what the listing found when a later upload's run replaced the marker while the collection was listed", async () => {
    // Prepare: the deleted upload's marker; during the listing a later upload's run replaces it with its own and
    // indexes a face (the later run had first deleted what the dead run left).
    await marker(UPLOAD);
    collection.duringListing = async () => {
      await marker(LATER);
    };
    await face('later-run-face', LATER, false);

    // Act
    const deleted = await deps().deleteFaceVectors(IMAGE, DELETION);

    // Assess
    expect(deleted).toBe(0);
    expect(collection.of(IMAGE)).toEqual(['later-run-face']);
    expect(collection.listings).toBe(1);
  });
});
