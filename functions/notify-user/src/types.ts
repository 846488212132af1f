import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { ChannelName } from '@smart-image-pipeline/contracts';
import type { NotifyConfig } from './config';

/** A user's profile attributes as Cognito returns them (`email`, `email_verified`, `phone_number`, …). */
export type UserAttributes = Readonly<Record<string, string>>;

/** What one message says, in a long form (e-mail) and a short one (SMS, at most 160 GSM characters). */
export interface MessageContent {
  subject: string;
  text: string;
  short: string;
}

/** The SDK client each channel sends with, created once per cold start in clients.ts. */
export interface ChannelClients {
  email: Pick<SESv2Client, 'send'>;
  sms: Pick<SNSClient, 'send'>;
}

/**
 * One notification channel (CONTRIBUTING.md "Add a notification channel"). A channel decides nothing about who wants
 * what: preferences, rate limits and de-duplication are the notifier's; a channel only knows whether the deployment
 * turned it on, which verified attribute it sends to, and how to send.
 */
export interface Channel {
  readonly name: ChannelName;
  /** Whether this deployment turned the channel on. */
  enabled(config: NotifyConfig): boolean;
  /** The user's verified address for this channel, or null: an unverified address is never returned. */
  recipientOf(attributes: UserAttributes): string | null;
  /**
   * Sends one message and returns the provider's message id.
   * @throws the provider's error (throttling, rejection); the notifier retries the record, then parks it in the DLQ.
   */
  send(to: string, content: MessageContent, context: { config: NotifyConfig; clients: ChannelClients }): Promise<string>;
}
