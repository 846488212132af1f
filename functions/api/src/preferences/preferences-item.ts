import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  DEFAULT_NOTIFICATION_PREFERENCES,
  notificationPreferencesSchema,
  PREFERENCES_SK,
  problemsOf,
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
  if (Item === undefined) return { source: 'default', preferences: { ...DEFAULT_NOTIFICATION_PREFERENCES } };
  const parsed = notificationPreferencesSchema.safeParse(Item.preferences);
  return parsed.success
    ? { source: 'stored', preferences: parsed.data }
    : { source: 'invalid', preferences: null, problems: problemsOf(parsed.error, 'preferences') };
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
  const parsed = notificationPreferencesSchema.safeParse(value);
  if (!parsed.success) throw badRequest(`Invalid notification preferences: ${problemsOf(parsed.error, 'preferences').join('; ')}`);
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        PK: userPk(sub),
        SK: PREFERENCES_SK,
        type: 'PREFERENCES',
        owner: sub,
        preferences: parsed.data,
        updatedAt: now.toISOString(),
      },
    }),
  );
  return parsed.data;
}
