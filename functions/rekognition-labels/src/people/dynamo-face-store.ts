import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  DELETED_STATUS,
  FACES_INDEXING_SK,
  faceIndexSk,
  faceSk,
  IMAGE_SK,
  imageFacesQuery,
  imagePk,
  ownerFacesIndexPk,
} from '@smart-image-pipeline/contracts';
import type { FaceStore, StoredFace } from './group-faces';

/** BatchGetItem reads at most 100 keys per call. */
const BATCH_GET_LIMIT = 100;
const FACE_FIELDS = ['faceId', 'imageId', 'owner', 'personId', 'box', 'confidence', 'indexedAt', 'sourceOrder'] as const;

function toStoredFace(item: Record<string, unknown>): StoredFace {
  return Object.fromEntries(
    FACE_FIELDS.filter((field) => item[field] !== undefined).map((field) => [field, item[field]]),
  ) as unknown as StoredFace;
}

const isConditionFailure = (error: unknown): boolean => error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** A face record as its table item: keys, the record's fields, and its place in the owner's GSI2 face partition. */
function faceItem(face: StoredFace): Record<string, unknown> {
  return {
    PK: imagePk(face.imageId),
    SK: faceSk(face.faceId),
    type: 'FACE',
    ...face,
    GSI2PK: ownerFacesIndexPk(face.owner),
    GSI1SK: faceIndexSk(face.personId, face.indexedAt, face.imageId),
  };
}

/**
 * Face records as items of the images table: PK IMAGE#<imageId>, SK FACE#<faceId> (so deleting an image's items
 * deletes them), and in the owner's GSI2 partition OWNER#<owner>#FACES sorted by person (docs/contracts.md).
 */
export function createDynamoFaceStore(db: Pick<DynamoDBDocumentClient, 'send'>, tableName: string): FaceStore {
  return {
    async facesOfImage(imageId) {
      const faces: StoredFace[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(new QueryCommand({ ...imageFacesQuery(tableName, imageId), ExclusiveStartKey: startKey }));
        faces.push(...(page.Items ?? []).map(toStoredFace));
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
      return faces;
    },
    async facesById(refs) {
      const found: StoredFace[] = [];
      for (let start = 0; start < refs.length; start += BATCH_GET_LIMIT) {
        let keys: Record<string, unknown>[] | undefined = refs
          .slice(start, start + BATCH_GET_LIMIT)
          .map((ref) => ({ PK: imagePk(ref.imageId), SK: faceSk(ref.faceId) }));
        // Consistent: the previous holder of the owner's lock may have written these records a moment ago.
        // Unprocessed keys (throttling) are asked again; a handful of rounds is plenty for 100 keys.
        for (let round = 0; keys && keys.length > 0 && round < 5; round += 1) {
          const answer: BatchGetCommandOutput = await db.send(
            new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
          );
          found.push(...(answer.Responses?.[tableName] ?? []).map(toStoredFace));
          keys = answer.UnprocessedKeys?.[tableName]?.Keys;
        }
      }
      return found;
    },
    async putFace(face) {
      await db.send(new PutCommand({ TableName: tableName, Item: faceItem(face) }));
    },
    async updateFace(face) {
      try {
        await db.send(new PutCommand({ TableName: tableName, Item: faceItem(face), ConditionExpression: 'attribute_exists(PK)' }));
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    async markIndexing(imageId, sourceOrder) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          // sourceOrder also keeps the marker from a deletion of an earlier upload (CleanUpImage deletes up to its order).
          Item: { PK: imagePk(imageId), SK: FACES_INDEXING_SK, type: 'FACES_INDEXING', ...(sourceOrder ? { sourceOrder } : {}) },
        }),
      );
    },
    async indexingMark(imageId) {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: { PK: imagePk(imageId), SK: FACES_INDEXING_SK }, ConsistentRead: true }),
      );
      if (Item === undefined) return undefined;
      return typeof Item.sourceOrder === 'string' ? { sourceOrder: Item.sourceOrder } : {};
    },
    async isSuperseded(imageId, sourceOrder) {
      const { Item } = await db.send(
        new GetCommand({
          TableName: tableName,
          Key: { PK: imagePk(imageId), SK: IMAGE_SK },
          // Strongly consistent: a deletion's DELETED item written a moment ago must be seen.
          ConsistentRead: true,
          ProjectionExpression: '#status, #so',
          ExpressionAttributeNames: { '#status': 'status', '#so': 'sourceOrder' },
        }),
      );
      if (Item === undefined) return false;
      if (sourceOrder === undefined) return Item.status === DELETED_STATUS;
      return typeof Item.sourceOrder === 'string' && Item.sourceOrder > sourceOrder;
    },
    async clearIndexingMark(imageId) {
      await db.send(new DeleteCommand({ TableName: tableName, Key: { PK: imagePk(imageId), SK: FACES_INDEXING_SK } }));
    },
    async deleteFaceRecords(imageId, faceIds) {
      for (const faceId of faceIds) {
        await db.send(new DeleteCommand({ TableName: tableName, Key: { PK: imagePk(imageId), SK: faceSk(faceId) } }));
      }
    },
  };
}
