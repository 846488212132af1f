import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  PREFERENCES_SK,
  preferencesItem,
  readStoredPreferences,
  userPk,
  type NotificationPreferences,
} from '@smart-image-pipeline/contracts';
import { badRequest } from '../http/http-error';

/** The caller's preferences as the notifier will read them: stored, the default, or a stored item it refuses. */
export type PreferencesView =
  { source: 'stored' | 'default'; preferences: NotificationPreferences } | { source: 'invalid'; preferences: null; problems: string[] };

/** Reads one user's notification preferences item (`USER#<sub>` / `PREFERENCES`, consistent, as the notifier reads it). */
export async function readPreferencesItem(
  db: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  sub: string,
): Promise<PreferencesView> {
  const { Item } = await db.send(
    new GetCommand({
      TableName: tableName,
      Key: { PK: userPk(sub), SK: PREFERENCES_SK },
      ConsistentRead: true,
      ProjectionExpression: 'preferences',
    }),
  );
  const read = readStoredPreferences(Item);
  return read.kind === 'invalid'
    ? { source: 'invalid', preferences: null, problems: read.problems }
    : { source: read.kind, preferences: read.preferences };
}

/**
 * Validates and stores one user's preferences; the notifier applies them to the next event.
 * @throws HttpError 400 naming every problem, before anything is written.
 */
export async function writePreferencesItem(
  db: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  sub: string,
  value: unknown,
  now: Date,
): Promise<NotificationPreferences> {
  const built = preferencesItem(sub, value, now);
  if ('problems' in built) throw badRequest(`Invalid notification preferences: ${built.problems.join('; ')}`);
  await db.send(new PutCommand({ TableName: tableName, Item: built.item }));
  return built.preferences;
}
