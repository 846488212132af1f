// A namespace import lets esbuild drop what is unused (zod's locales alone are ~350 KB minified).
import * as z from 'zod';
import { DETAIL_TYPES } from './events';

/**
 * The notification channels, in one list (CONTRIBUTING.md "Add a notification channel"). The notifier's channel
 * registry (functions/notify-user/src/channels) has exactly one entry per name here, which its types enforce.
 */
export const CHANNEL_NAMES = ['email', 'sms'] as const;

/** One channel name. */
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** The events a user can be told about; Image Flagged goes to moderation, not to the uploader. */
export const NOTIFYING_DETAIL_TYPES = [DETAIL_TYPES.processed, DETAIL_TYPES.failed] as const;

/** One detail type a user can choose. */
export type NotifyingDetailType = (typeof NOTIFYING_DETAIL_TYPES)[number];

const distinct = (values: readonly string[]) => new Set(values).size === values.length;

/**
 * A user's notification preferences, as `PUT /me/preferences` takes them and the preferences item stores them: which
 * channels to use (none = no notifications) and which events to be told about. Unknown fields are refused, so a typo
 * never silently keeps the default. Addresses are not preferences: they come from the user's verified profile.
 */
export const notificationPreferencesSchema = z.strictObject(
  {
    channels: z
      .array(
        z.enum(CHANNEL_NAMES, { error: (issue) => `must be one of ${CHANNEL_NAMES.join(', ')} (got ${JSON.stringify(issue.input)})` }),
        {
          error: 'must be an array of channel names',
        },
      )
      .refine(distinct, { error: 'must not name a channel twice' }),
    events: z
      .array(
        z.enum(NOTIFYING_DETAIL_TYPES, {
          error: (issue) => `must be one of ${NOTIFYING_DETAIL_TYPES.join(', ')} (got ${JSON.stringify(issue.input)})`,
        }),
        {
          error: 'must be an array of event names',
        },
      )
      .refine(distinct, { error: 'must not name an event twice' }),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `has unknown fields ${issue.keys.join(', ')} (only channels and events)`
        : 'must be an object with channels and events',
  },
);

/** Notification preferences. */
export type NotificationPreferences = z.output<typeof notificationPreferencesSchema>;

/** What a user without a preferences item gets: e-mail (to the verified address only) for both events. */
export const DEFAULT_NOTIFICATION_PREFERENCES: Readonly<NotificationPreferences> = Object.freeze({
  channels: ['email'],
  events: [...NOTIFYING_DETAIL_TYPES],
});
