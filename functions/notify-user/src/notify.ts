import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ChannelName, DigestRequest } from '@smart-image-pipeline/contracts';
import { CHANNELS } from './channels';
import type { NotifyConfig } from './config';
import { DeliveryFailedError } from './errors';
import { digestMessage, eventMessage } from './messages';
import type { NotifyingEvent } from './parse-message';
import { readPreferences } from './preferences-store';
import { claimDigest, releaseDigest, returnSlot, takeSlot, unqueueDigest, type RateTable } from './rate-limit';
import { claimMarker, releaseMarker, settleMarker, type MarkerKey } from './sent-markers';
import type { Channel, ChannelClients, MessageContent, UserAttributes } from './types';
import type { UserDirectory } from './user-directory';

/** Why a channel sent nothing on purpose (the `reason` dimension of NotificationsSkipped). */
export type SkipReason = 'unowned' | 'invalidPreferences' | 'notWanted' | 'channelOff' | 'unverified' | 'duplicate' | 'nothingHeld';

/** What happened on one channel. */
export type ChannelOutcome =
  { channel: ChannelName | null; outcome: 'sent' | 'held' } | { channel: ChannelName | null; outcome: 'skipped'; reason: SkipReason };

/** The counters the handler turns into EMF metrics. */
export interface NotifyReport {
  sent(channel: ChannelName): void;
  held(channel: ChannelName): void;
  skipped(reason: SkipReason): void;
  failed(channel: ChannelName): void;
}

/** Everything the notifier's core works with, passed in so tests can replace any of it. */
export interface NotifyDeps {
  readonly config: NotifyConfig;
  readonly db: Pick<DynamoDBDocumentClient, 'send'>;
  readonly now: () => Date;
  readonly directory: UserDirectory;
  readonly clients: ChannelClients;
  /** Queues a digest request on the notification queue, delivered after `delaySeconds` (0-900). */
  readonly queueDigest: (request: DigestRequest, delaySeconds: number) => Promise<void>;
  readonly report: NotifyReport;
  readonly logger: { warn(message: string, ...extra: Record<string, unknown>[]): void };
  /** The channel registry (tests pass their own). */
  readonly channels?: { readonly [Name in ChannelName]: Channel };
}

/** SQS delays a message by at most 15 minutes (SendMessage `DelaySeconds` 0-900, botocore's sqs model). */
const MAX_DELAY_SECONDS = 900;

const rateTable = (deps: NotifyDeps): RateTable => ({
  db: deps.db,
  tableName: deps.config.imagesTableName,
  now: deps.now,
  windowSeconds: deps.config.windowSeconds,
  limit: deps.config.notificationsPerWindow,
});

function skip(deps: NotifyDeps, channel: ChannelName | null, reason: SkipReason): ChannelOutcome {
  deps.report.skipped(reason);
  return { channel, outcome: 'skipped', reason };
}

/** The channel's verified address for the owner, or why there is none to send to. */
async function recipient(
  channel: Channel,
  attributes: () => Promise<UserAttributes | null>,
  deps: NotifyDeps,
): Promise<string | SkipReason> {
  if (!channel.enabled(deps.config)) return 'channelOff';
  const found = await attributes();
  return (found && channel.recipientOf(found)) || 'unverified';
}

async function sendOn(channel: Channel, to: string, content: MessageContent, deps: NotifyDeps): Promise<void> {
  try {
    await channel.send(to, content, { config: deps.config, clients: deps.clients });
  } catch (error) {
    deps.report.failed(channel.name);
    throw new DeliveryFailedError(
      `${channel.name} send failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      { cause: error },
    );
  }
}

/**
 * Tells an event's owner about it on each channel they chose, at their verified address only, once per event and
 * channel, and within the rate limit (what the limit holds back goes into the window's digest). Nothing here can
 * change the image: the worst case is a retried record and, after the queue's retries, the notification DLQ.
 * @throws DeliveryFailedError when a channel's send failed (after the others were tried); the record is retried.
 */
export async function notifyOwner(event: NotifyingEvent, deps: NotifyDeps): Promise<ChannelOutcome[]> {
  const { detail } = event;
  const detailType = event['detail-type'];
  if (detail.owner === 'unowned') return [skip(deps, null, 'unowned')];
  const read = await readPreferences(detail.owner, { db: deps.db, tableName: deps.config.imagesTableName });
  if (read.kind === 'invalid') {
    deps.logger.warn('Stored notification preferences are invalid; nothing sent', { owner: detail.owner, problems: read.problems });
    return [skip(deps, null, 'invalidPreferences')];
  }
  if (!read.preferences.events.includes(detailType)) return [skip(deps, null, 'notWanted')];
  const channels = deps.channels ?? CHANNELS;
  let attributes: Promise<UserAttributes | null> | undefined;
  const lookUp = () => (attributes ??= deps.directory.attributesOf(detail.owner));
  const outcomes: ChannelOutcome[] = [];
  const failures: Error[] = [];
  for (const name of read.preferences.channels) {
    const channel = channels[name];
    const to = await recipient(channel, lookUp, deps);
    if (to === 'channelOff' || to === 'unverified') {
      outcomes.push(skip(deps, name, to));
      continue;
    }
    const marker: MarkerKey = { owner: detail.owner, channel: name, detailType, imageId: detail.imageId, revision: detail.revision };
    if (!(await claimMarker(marker, { db: deps.db, tableName: deps.config.imagesTableName, now: deps.now }))) {
      outcomes.push(skip(deps, name, 'duplicate'));
      continue;
    }
    const markers = { db: deps.db, tableName: deps.config.imagesTableName, now: deps.now };
    const slot = await takeSlot(detail.owner, name, detailType, rateTable(deps));
    if (slot.kind === 'held') {
      if (slot.queueDigest) {
        const request: DigestRequest = { kind: 'digest', owner: detail.owner, channel: name, windowStart: slot.window.windowStart };
        try {
          await deps.queueDigest(request, Math.min(MAX_DELAY_SECONDS, Math.max(0, slot.secondsToWindowEnd + 1)));
        } catch (error) {
          await unqueueDigest(slot.window, rateTable(deps));
          await releaseMarker(marker, markers);
          throw error;
        }
      }
      await settleMarker(marker, 'digested', markers);
      deps.report.held(name);
      outcomes.push({ channel: name, outcome: 'held' });
      continue;
    }
    try {
      await sendOn(channel, to, eventMessage(detailType, detail), deps);
    } catch (error) {
      await returnSlot(slot.window, rateTable(deps));
      await releaseMarker(marker, markers);
      failures.push(error as Error);
      continue;
    }
    await settleMarker(marker, 'sent', markers);
    deps.report.sent(name);
    outcomes.push({ channel: name, outcome: 'sent' });
  }
  if (failures.length > 0) throw new DeliveryFailedError(failures.map((failure) => failure.message).join('; '), { cause: failures[0] });
  return outcomes;
}

/**
 * Sends the digest of a window that held messages back ("and N more"), once, if the owner still wants that channel
 * and still has a verified address for it.
 * @throws DeliveryFailedError when the send failed; the digest is given back and the record retried.
 */
export async function sendDigest(request: DigestRequest, deps: NotifyDeps): Promise<ChannelOutcome> {
  const read = await readPreferences(request.owner, { db: deps.db, tableName: deps.config.imagesTableName });
  if (read.kind === 'invalid') return skip(deps, request.channel, 'invalidPreferences');
  if (!read.preferences.channels.includes(request.channel)) return skip(deps, request.channel, 'notWanted');
  const channel = (deps.channels ?? CHANNELS)[request.channel];
  const to = await recipient(channel, () => deps.directory.attributesOf(request.owner), deps);
  if (to === 'channelOff' || to === 'unverified') return skip(deps, request.channel, to);
  const window = { owner: request.owner, channel: request.channel, windowStart: request.windowStart };
  const held = await claimDigest(window, rateTable(deps));
  if (held === null) return skip(deps, request.channel, 'nothingHeld');
  try {
    await sendOn(channel, to, digestMessage({ ...held, windowStart: request.windowStart, windowSeconds: deps.config.windowSeconds }), deps);
  } catch (error) {
    await releaseDigest(window, rateTable(deps));
    throw error;
  }
  deps.report.sent(request.channel);
  return { channel: request.channel, outcome: 'sent' };
}
