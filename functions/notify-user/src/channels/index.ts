import type { ChannelName } from '@smart-image-pipeline/contracts';
import type { Channel } from '../types';
import { emailChannel } from './email';
import { smsChannel } from './sms';

/**
 * The channel registry: one entry per name of the contracts' CHANNEL_NAMES, which the type enforces (a name without
 * a channel, or a channel without a name, does not compile). CONTRIBUTING.md "Add a notification channel".
 */
export const CHANNELS: { readonly [Name in ChannelName]: Channel & { name: Name } } = {
  email: emailChannel as Channel & { name: 'email' },
  sms: smsChannel as Channel & { name: 'sms' },
};
