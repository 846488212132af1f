import { DeleteObjectsCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DeleteFacesCommand, ListFacesCommand, type RekognitionClient } from '@aws-sdk/client-rekognition';
import {
  collectionFacesOfImage,
  ConfigurationError,
  FACES_INDEXING_SK,
  IMAGE_SK,
  LIST_FACES_PAGE_SIZE,
  imageFacesQuery,
  imagePrefix,
  imagePk,
  SOURCE_ORDER_METADATA,
} from '@smart-image-pipeline/contracts';
import { tombstoneItem, type CleanUpDeps, type Log, type StoredImage } from './clean-up';
import type { CleanUpConfig } from './config';
import type { RevisionFolder } from './types';

/** The SDK clients and settings the real deps are built from. */
export interface AwsDepsSources {
  s3: Pick<S3Client, 'send'>;
  db: Pick<DynamoDBDocumentClient, 'send'>;
  rekognition: Pick<RekognitionClient, 'send'>;
  config: CleanUpConfig;
  now: () => Date;
  logger: Log;
}

/** Rekognition's DeleteFaces takes at most this many face ids per call (`FaceIdList` max 4096, botocore's model). */
const FACE_DELETE_BATCH = 4096;
/** S3's DeleteObjects takes at most this many keys per call. */
const DELETE_BATCH = 1000;
/** A folder is judged by the metadata of its first few objects (the resizer writes it on every object it makes). */
const OBJECTS_TO_PROBE = 3;

const isNotFound = (error: unknown): boolean => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
};

const isConditionFailure = (error: unknown): boolean => error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** Builds the core's deps on the AWS SDK: HeadObject/ListObjectsV2/DeleteObjects and DynamoDB Get/Put/Query/Delete. */
export function createAwsDeps({ s3, db, rekognition, config, now, logger }: AwsDepsSources): CleanUpDeps {
  const table = config.imagesTableName;
  const bucket = config.processedBucketName;
  return {
    logger,
    async uploadExists(uploadsBucket, key) {
      try {
        await s3.send(new HeadObjectCommand({ Bucket: uploadsBucket, Key: key }));
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    },
    async readImage(imageId) {
      const { Item } = await db.send(
        new GetCommand({ TableName: table, Key: { PK: imagePk(imageId), SK: IMAGE_SK }, ConsistentRead: true }),
      );
      return Item === undefined ? null : (Item as StoredImage);
    },
    async putTombstone(imageId, deleteOrder) {
      try {
        await db.send(
          new PutCommand({
            TableName: table,
            Item: tombstoneItem(imageId, deleteOrder, now(), config.tombstoneDays),
            ConditionExpression: 'attribute_not_exists(#pk) OR #so <= :order',
            ExpressionAttributeNames: { '#pk': 'PK', '#so': 'sourceOrder' },
            ExpressionAttributeValues: { ':order': deleteOrder },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    async deleteChildItems(imageId, order) {
      let deleted = 0;
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': imagePk(imageId) },
            ProjectionExpression: 'SK',
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          if (item.SK === IMAGE_SK) continue;
          try {
            await db.send(
              new DeleteCommand({
                TableName: table,
                Key: { PK: imagePk(imageId), SK: item.SK },
                // An item a later upload wrote in the meantime stays.
                ConditionExpression: 'attribute_not_exists(#so) OR #so <= :order',
                ExpressionAttributeNames: { '#so': 'sourceOrder' },
                ExpressionAttributeValues: { ':order': order },
              }),
            );
            deleted += 1;
          } catch (error) {
            if (!isConditionFailure(error)) throw error;
          }
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
      return deleted;
    },
    async deleteFaceVectors(imageId, order) {
      // Face items and the marker carry the sourceOrder of the upload whose run wrote them (none: written before that
      // was kept, so older than any deletion); those of a later upload of the key are that upload's, never deleted here.
      const upTo = (item: Record<string, unknown>) => typeof item.sourceOrder !== 'string' || item.sourceOrder <= order;
      const faceIds: string[] = [];
      const laterFaceIds = new Set<string>();
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            ...imageFacesQuery(table, imageId),
            ProjectionExpression: 'faceId, sourceOrder',
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          if (upTo(item)) faceIds.push(String(item.faceId));
          else laterFaceIds.add(String(item.faceId));
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
      // A run that died between IndexFaces and its face records left this marker: the collection may hold vectors of
      // the image no record names, found by their ExternalImageId (a scan of the collection; rare).
      const readMarker = async () =>
        (await db.send(new GetCommand({ TableName: table, Key: { PK: imagePk(imageId), SK: FACES_INDEXING_SK }, ConsistentRead: true })))
          .Item;
      const marker = await readMarker();
      const scan = marker !== undefined && upTo(marker);
      if (faceIds.length === 0 && !scan) return 0;
      // Face records without a collection to delete from would leave vectors behind unseen: fail loudly instead.
      if (!config.faceCollectionId)
        throw new ConfigurationError([`FACE_COLLECTION_ID (image ${imageId} has ${faceIds.length} indexed faces)`]);
      const collectionId = config.faceCollectionId;
      if (scan) {
        const unrecorded = await collectionFacesOfImage(
          (token) =>
            rekognition.send(new ListFacesCommand({ CollectionId: collectionId, MaxResults: LIST_FACES_PAGE_SIZE, NextToken: token })),
          imageId,
        );
        // Only while that marker still stands: had a later upload's run replaced it meanwhile, the scan may hold the
        // vectors that run is indexing now (a later run first deletes what a dead run left, so nothing is missed).
        const standing = await readMarker();
        if (standing !== undefined && upTo(standing))
          faceIds.push(...unrecorded.filter((faceId) => !faceIds.includes(faceId) && !laterFaceIds.has(faceId)));
        if (faceIds.length === 0) return 0;
      }
      for (let start = 0; start < faceIds.length; start += FACE_DELETE_BATCH) {
        await rekognition.send(
          new DeleteFacesCommand({ CollectionId: collectionId, FaceIds: faceIds.slice(start, start + FACE_DELETE_BATCH) }),
        );
      }
      return faceIds.length;
    },
    async listRevisionFolders(imageId) {
      const prefix = imagePrefix(imageId);
      const byRevision = new Map<string, string[]>();
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const object of page.Contents ?? []) {
          const revision = object.Key?.slice(prefix.length).split('/')[0];
          if (object.Key === undefined || !revision) continue;
          byRevision.set(revision, [...(byRevision.get(revision) ?? []), object.Key]);
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      return [...byRevision].map(([revision, keys]): RevisionFolder => ({ revision, keys }));
    },
    async folderSourceOrder(folder) {
      for (const key of folder.keys.slice(0, OBJECTS_TO_PROBE)) {
        try {
          const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
          const order = head.Metadata?.[SOURCE_ORDER_METADATA];
          if (order) return order.toUpperCase();
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }
      return undefined;
    },
    async deleteObjects(keys) {
      for (let start = 0; start < keys.length; start += DELETE_BATCH) {
        const batch = keys.slice(start, start + DELETE_BATCH);
        const answer = await s3.send(
          new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
        );
        const failed = answer.Errors ?? [];
        if (failed.length > 0)
          throw new Error(`DeleteObjects failed for ${failed.length} key(s); first: ${failed[0]?.Code} ${failed[0]?.Key}`);
      }
    },
  };
}
