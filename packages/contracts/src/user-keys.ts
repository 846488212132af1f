/**
 * Keys of the per-user items in the images table (docs/contracts.md "DynamoDB table"): the notification preferences,
 * the notifier's rate-limit windows and its sent-notification markers. They live under `USER#<owner>`, apart from every
 * image item (`IMAGE#…`), so the notifier's role can be limited to that prefix (dynamodb:LeadingKeys).
 */

/** The key prefix of every per-user item. */
export const USER_PK_PREFIX = 'USER#';

/** Partition of one user's items. */
export function userPk(owner: string): string {
  return `${USER_PK_PREFIX}${owner}`;
}

/** Sort key of the preferences item. */
export const PREFERENCES_SK = 'PREFERENCES';

/** Sort key of one rate-limit window of one channel; `windowStart` is the window's first second (epoch seconds). */
export function rateWindowSk(channel: string, windowStart: number): string {
  return `RATE#${channel}#${windowStart}`;
}

/** Sort key of the marker that one event was (or is being) sent on one channel. */
export function notifiedSk(channel: string, detailType: string, imageId: string, revision: string): string {
  return `NOTIFIED#${channel}#${detailType.replace(/\s+/g, '')}#${imageId}#${revision}`;
}

/** The attribute DynamoDB's TTL reads (epoch seconds): rate windows and markers expire on their own. */
export const EXPIRES_AT_ATTRIBUTE = 'expiresAt';
