import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EXPIRES_AT_ATTRIBUTE, notifiedSk, userPk } from '@smart-image-pipeline/contracts';

/** Where the markers live and what time it is. */
export interface MarkerTable {
  readonly db: Pick<DynamoDBDocumentClient, 'send'>;
  readonly tableName: string;
  readonly now: () => Date;
}

/** What one (channel, event) notification is about. */
export interface MarkerKey {
  owner: string;
  channel: string;
  detailType: string;
  imageId: string;
  revision: string;
}

/** A marker outlives any redelivery: EventBridge retries for a day, SQS keeps a message four days. */
const MARKER_DAYS = 7;
/** A `sending` marker older than this belongs to an attempt that died (the notifier's timeout is 30 s). */
const STALE_MS = 5 * 60_000;

const keyOf = (marker: MarkerKey) => ({
  PK: userPk(marker.owner),
  SK: notifiedSk(marker.channel, marker.detailType, marker.imageId, marker.revision),
});

/**
 * Claims the right to send one notification: true the first time, false for a duplicate delivery of the same event
 * (EventBridge and SQS deliver at least once, and a re-run of a revision publishes again). An attempt that died
 * mid-send can be taken over once its claim is stale, so a crash delays a message instead of losing it.
 */
export async function claimMarker(marker: MarkerKey, table: MarkerTable): Promise<boolean> {
  const now = table.now().getTime();
  try {
    await table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...keyOf(marker),
          type: 'NOTIFIED',
          state: 'sending',
          claimedAt: now,
          [EXPIRES_AT_ATTRIBUTE]: Math.floor(now / 1000) + MARKER_DAYS * 86_400,
        },
        ConditionExpression: 'attribute_not_exists(PK) OR (#state = :sending AND claimedAt < :stale)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':sending': 'sending', ':stale': now - STALE_MS },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Records how a claimed notification ended: `sent`, or `digested` when the rate limit folded it into a digest. */
export async function settleMarker(marker: MarkerKey, state: 'sent' | 'digested', table: MarkerTable): Promise<void> {
  await table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: keyOf(marker),
      UpdateExpression: 'SET #state = :state',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':state': state },
    }),
  );
}

/** Gives a claim back after a failed send, so the retry of the record sends it. */
export async function releaseMarker(marker: MarkerKey, table: MarkerTable): Promise<void> {
  await table.db.send(new DeleteCommand({ TableName: table.tableName, Key: keyOf(marker) }));
}
