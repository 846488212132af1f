import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  PREFERENCES_SK,
  preferencesItem,
  readStoredPreferences,
  userPk,
  type NotificationPreferences,
  type StoredPreferences,
} from '@smart-image-pipeline/contracts';

/** Where the preferences item lives. */
export interface PreferencesTable {
  readonly db: Pick<DynamoDBDocumentClient, 'send'>;
  readonly tableName: string;
}

/** A user's preferences as read: the stored ones, the default when there are none, or the stored item's problems. */
export type ReadPreferences = StoredPreferences;

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
  return readStoredPreferences(Item);
}

/**
 * Validates and stores one user's preferences (what `PUT /me/preferences` does in the API).
 * @throws InvalidPreferencesError with every reason, before anything is written.
 */
export async function writePreferences(
  owner: string,
  value: unknown,
  table: PreferencesTable,
  now: Date,
): Promise<NotificationPreferences> {
  const built = preferencesItem(owner, value, now);
  if ('problems' in built) throw new InvalidPreferencesError(built.problems);
  await table.db.send(new PutCommand({ TableName: table.tableName, Item: built.item }));
  return built.preferences;
}
