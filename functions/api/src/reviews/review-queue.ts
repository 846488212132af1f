import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GSI1, imagePk, REVIEW_QUEUE_PK, REVIEW_SK, type Quarantine } from '@smart-image-pipeline/contracts';

/** A review item as ModerationReviewFunction writes it (docs/contracts.md "Moderation review"). */
export interface ReviewItem {
  imageId: string;
  owner?: string;
  revision?: string;
  /** PENDING (waiting, with a token), DECIDED, or FAILED (the wait or the decision's step failed: re-run the image). */
  status?: 'PENDING' | 'DECIDED' | 'FAILED' | string;
  /** Present only while the review is pending; never leaves the API. */
  taskToken?: string;
  quarantine?: Quarantine;
  requestedAt?: string;
  timeoutAt?: string;
  decision?: string;
  decidedBy?: string;
  decidedAt?: string;
  /** On a FAILED review: the step's error, when, the run to re-run, and the decision that was being applied. */
  error?: { name?: string; cause?: string };
  failedAt?: string;
  executionName?: string;
  attempted?: { decision?: string; decidedBy?: string; reason?: string };
}

/** One page of the reviews waiting for an admin (pending, or failed and waiting for a re-run), oldest first, and where the next page starts. */
export async function pendingReviews(
  documents: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  limit: number,
  startKey?: Record<string, unknown>,
): Promise<{ items: ReviewItem[]; next?: Record<string, unknown> }> {
  const page = await documents.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: GSI1,
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': REVIEW_QUEUE_PK },
      ScanIndexForward: true,
      Limit: limit,
      ExclusiveStartKey: startKey,
    }),
  );
  return { items: (page.Items ?? []) as ReviewItem[], next: page.LastEvaluatedKey };
}

/** The image's review item (pending or last decided), read strongly consistent so a decision sees the latest token. */
export async function reviewOf(
  documents: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  imageId: string,
): Promise<ReviewItem | undefined> {
  const page = await documents.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk AND SK = :sk',
      ExpressionAttributeValues: { ':pk': imagePk(imageId), ':sk': REVIEW_SK },
      ConsistentRead: true,
    }),
  );
  return page.Items?.[0] as ReviewItem | undefined;
}
