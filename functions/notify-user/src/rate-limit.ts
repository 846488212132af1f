import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EXPIRES_AT_ATTRIBUTE, rateWindowSk, userPk, type NotifyingDetailType } from '@smart-image-pipeline/contracts';

/** Where the windows live, how big they are, and what time it is. */
export interface RateTable {
  readonly db: Pick<DynamoDBDocumentClient, 'send'>;
  readonly tableName: string;
  readonly now: () => Date;
  readonly windowSeconds: number;
  readonly limit: number;
}

/** One owner's window on one channel. */
export interface WindowRef {
  owner: string;
  channel: string;
  windowStart: number;
}

/** What the rate limit decided for one message. */
export type SlotDecision =
  | { kind: 'send'; window: WindowRef }
  /** Over the limit: counted for the window's digest; `queueDigest` is true for the first one held back. */
  | { kind: 'held'; window: WindowRef; queueDigest: boolean; secondsToWindowEnd: number };

/** A window item outlives its window by a day (for the digest and for reading it back), then TTL removes it. */
const KEEP_SECONDS = 86_400;

/** The first second of the window `nowSeconds` falls in. */
export function windowStartOf(nowSeconds: number, windowSeconds: number): number {
  return Math.floor(nowSeconds / windowSeconds) * windowSeconds;
}

const keyOf = (window: WindowRef) => ({ PK: userPk(window.owner), SK: rateWindowSk(window.channel, window.windowStart) });
const heldCounter = (detailType: NotifyingDetailType) => (detailType === 'Image Failed' ? 'heldFailed' : 'heldProcessed');

/**
 * Takes one slot of the owner's current window on the channel with a conditional counter (`sent < limit`), or, when the
 * window is full, counts the message as held back for the window's digest. One conditional update each: concurrent
 * notifiers never exceed the limit.
 */
export async function takeSlot(owner: string, channel: string, detailType: NotifyingDetailType, table: RateTable): Promise<SlotDecision> {
  const nowSeconds = Math.floor(table.now().getTime() / 1000);
  const window: WindowRef = { owner, channel, windowStart: windowStartOf(nowSeconds, table.windowSeconds) };
  const expiresAt = window.windowStart + table.windowSeconds + KEEP_SECONDS;
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keyOf(window),
        UpdateExpression: 'SET #ttl = :ttl, #type = :type ADD sent :one',
        ConditionExpression: 'attribute_not_exists(sent) OR sent < :limit',
        ExpressionAttributeNames: { '#ttl': EXPIRES_AT_ATTRIBUTE, '#type': 'type' },
        ExpressionAttributeValues: { ':ttl': expiresAt, ':type': 'RATE', ':one': 1, ':limit': table.limit },
      }),
    );
    return { kind: 'send', window };
  } catch (error) {
    if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
  }
  const { Attributes } = await table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: keyOf(window),
      UpdateExpression: 'SET digestQueued = :yes ADD #held :one',
      ExpressionAttributeNames: { '#held': heldCounter(detailType) },
      ExpressionAttributeValues: { ':yes': true, ':one': 1 },
      ReturnValues: 'UPDATED_OLD',
    }),
  );
  return {
    kind: 'held',
    window,
    queueDigest: Attributes?.digestQueued !== true,
    secondsToWindowEnd: window.windowStart + table.windowSeconds - nowSeconds,
  };
}

/** Gives back a slot whose send failed, so the record's retry does not count twice. */
export async function returnSlot(window: WindowRef, table: RateTable): Promise<void> {
  await table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: keyOf(window),
      UpdateExpression: 'ADD sent :minusOne',
      ExpressionAttributeValues: { ':minusOne': -1 },
    }),
  );
}

/** Forgets that a digest was queued (its SendMessage failed), so the next held message queues it again. */
export async function unqueueDigest(window: WindowRef, table: RateTable): Promise<void> {
  await table.db.send(new UpdateCommand({ TableName: table.tableName, Key: keyOf(window), UpdateExpression: 'REMOVE digestQueued' }));
}

/** What a window held back, for its digest; null when nothing was held or the digest already went out. */
export async function claimDigest(window: WindowRef, table: RateTable): Promise<{ processed: number; failed: number } | null> {
  const { Item } = await table.db.send(new GetCommand({ TableName: table.tableName, Key: keyOf(window), ConsistentRead: true }));
  const processed = Number(Item?.heldProcessed ?? 0);
  const failed = Number(Item?.heldFailed ?? 0);
  if (Item === undefined || processed + failed === 0) return null;
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keyOf(window),
        UpdateExpression: 'SET digestSentAt = :now',
        ConditionExpression: 'attribute_not_exists(digestSentAt)',
        ExpressionAttributeValues: { ':now': table.now().toISOString() },
      }),
    );
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return null;
    throw error;
  }
  return { processed, failed };
}

/** Gives the digest back after a failed send, so the retry sends it. */
export async function releaseDigest(window: WindowRef, table: RateTable): Promise<void> {
  await table.db.send(new UpdateCommand({ TableName: table.tableName, Key: keyOf(window), UpdateExpression: 'REMOVE digestSentAt' }));
}
