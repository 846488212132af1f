import { DEFAULT_NOTIFICATION_PREFERENCES, notificationPreferencesSchema, type NotificationPreferences } from './schemas/preferences';
import { PREFERENCES_SK, userPk } from './user-keys';
import { problemsOf } from './validation';

/** A user's preferences as read from the table: the stored ones, the default when there are none, or the stored item's problems. */
export type StoredPreferences =
  { kind: 'stored' | 'default'; preferences: NotificationPreferences } | { kind: 'invalid'; problems: string[] };

/**
 * Reads a user's PREFERENCES item (undefined when there is none). A stored value that no longer parses is reported,
 * not guessed at: the notifier then sends nothing for that user. Used by the notifier and the API alike.
 */
export function readStoredPreferences(item: { preferences?: unknown } | undefined): StoredPreferences {
  if (item === undefined) return { kind: 'default', preferences: { ...DEFAULT_NOTIFICATION_PREFERENCES } };
  const parsed = notificationPreferencesSchema.safeParse(item.preferences);
  return parsed.success
    ? { kind: 'stored', preferences: parsed.data }
    : { kind: 'invalid', problems: problemsOf(parsed.error, 'preferences') };
}

/** The PREFERENCES item for a user's choice, or every problem with the choice (nothing to write then). */
export function preferencesItem(
  owner: string,
  value: unknown,
  now: Date,
): { item: Record<string, unknown>; preferences: NotificationPreferences } | { problems: string[] } {
  const parsed = notificationPreferencesSchema.safeParse(value);
  if (!parsed.success) return { problems: problemsOf(parsed.error, 'preferences') };
  const item = {
    PK: userPk(owner),
    SK: PREFERENCES_SK,
    type: 'PREFERENCES',
    owner,
    preferences: parsed.data,
    updatedAt: now.toISOString(),
  };
  return { item, preferences: parsed.data };
}
