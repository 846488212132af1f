import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  DEFAULT_NOTIFICATION_PREFERENCES,
  notificationPreferencesSchema,
  PREFERENCES_SK,
  problemsOf,
  userPk,
  type NotificationPreferences,
} from '@smart-image-pipeline/contracts';

/** Where the preferences item lives. */
export interface PreferencesTable {
  readonly db: Pick<DynamoDBDocumentClient, 'send'>;
  readonly tableName: string;
}

/** A user's preferences as read: the stored ones, the default when there are none, or the stored item's problems. */
export type ReadPreferences =
  { kind: 'stored' | 'default'; preferences: NotificationPreferences } | { kind: 'invalid'; problems: string[] };

/** The preferences a user gave, refused with every reason when they break the contracts' schema. */
export class InvalidPreferencesError extends Error {
  public override readonly name = 'InvalidPreferencesError';

  public constructor(public readonly problems: string[]) {
    super(`Invalid notification preferences: ${problems.join('; ')}`);
  }
}

/**
 * Reads one user's notification preferences (a consistent read: a change applies to the next event). A stored item
 * that no longer parses is reported, not guessed at: the notifier then sends nothing for that user.
 */
export async function readPreferences(owner: string, table: PreferencesTable): Promise<ReadPreferences> {
  const { Item } = await table.db.send(
    new GetCommand({
      TableName: table.tableName,
      Key: { PK: userPk(owner), SK: PREFERENCES_SK },
      ConsistentRead: true,
      ProjectionExpression: 'preferences',
    }),
  );
  if (Item === undefined) return { kind: 'default', preferences: { ...DEFAULT_NOTIFICATION_PREFERENCES } };
  const parsed = notificationPreferencesSchema.safeParse(Item.preferences);
  return parsed.success
    ? { kind: 'stored', preferences: parsed.data }
    : { kind: 'invalid', problems: problemsOf(parsed.error, 'preferences') };
}

/**
 * Validates and stores one user's preferences (what `PUT /me/preferences` calls).
 * @throws InvalidPreferencesError with every reason, before anything is written.
 */
export async function writePreferences(
  owner: string,
  value: unknown,
  table: PreferencesTable,
  now: Date,
): Promise<NotificationPreferences> {
  const parsed = notificationPreferencesSchema.safeParse(value);
  if (!parsed.success) throw new InvalidPreferencesError(problemsOf(parsed.error, 'preferences'));
  await table.db.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { PK: userPk(owner), SK: PREFERENCES_SK, type: 'PREFERENCES', owner, preferences: parsed.data, updatedAt: now.toISOString() },
    }),
  );
  return parsed.data;
}
