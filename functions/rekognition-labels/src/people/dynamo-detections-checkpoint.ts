import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { detectionsSk, imagePk, type AnalysisSummary } from '@smart-image-pipeline/contracts';
import type { DetectionsCheckpoint } from './people-section';

/** A checkpoint left behind (the run gave up for good) goes with the table's TTL after this long. */
const CHECKPOINT_TTL_SECONDS = 24 * 60 * 60;

/**
 * The detections checkpoint as an item of the image's partition (`IMAGE#<imageId>` / `DETECTIONS#<revision>`), so
 * deleting the image deletes it too. The summary is stored as one JSON string: it is only ever read back whole.
 */
export function createDynamoDetectionsCheckpoint(
  db: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  now: () => Date = () => new Date(),
): DetectionsCheckpoint {
  const key = (imageId: string, revision: string) => ({ PK: imagePk(imageId), SK: detectionsSk(revision) });
  return {
    async get(imageId, revision) {
      // Consistent: the failed attempt wrote it moments ago.
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key(imageId, revision), ConsistentRead: true }));
      return typeof Item?.summary === 'string' ? (JSON.parse(Item.summary) as AnalysisSummary) : undefined;
    },
    async put(imageId, revision, summary) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...key(imageId, revision),
            type: 'DETECTIONS',
            summary: JSON.stringify(summary),
            expiresAt: Math.floor(now().getTime() / 1000) + CHECKPOINT_TTL_SECONDS,
          },
        }),
      );
    },
    async remove(imageId, revision) {
      await db.send(new DeleteCommand({ TableName: tableName, Key: key(imageId, revision) }));
    },
  };
}
