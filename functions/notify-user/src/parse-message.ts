import {
  digestRequestSchema,
  NOTIFYING_DETAIL_TYPES,
  pipelineEventSchema,
  problemsOf,
  type DigestRequest,
  type NotifyingDetailType,
  type PipelineEvent,
} from '@smart-image-pipeline/contracts';
import { UnreadableNotificationMessageError } from './errors';

/** A pipeline event users can be told about. */
export type NotifyingEvent = Extract<PipelineEvent, { 'detail-type': NotifyingDetailType }>;

/** One SQS message of the notification queue, read. */
export type NotificationMessage = { kind: 'event'; event: NotifyingEvent } | DigestRequest;

/**
 * Reads one queue message: a pipeline event the notification rule delivered (Image Processed or Image Failed), or a
 * digest request. Anything else is refused with every reason.
 * @throws UnreadableNotificationMessageError naming what is wrong.
 */
export function parseNotificationMessage(body: string): NotificationMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new UnreadableNotificationMessageError('The message body is not JSON');
  }
  const digest = digestRequestSchema.safeParse(value);
  if (digest.success) return digest.data;
  const event = pipelineEventSchema.safeParse(value);
  if (!event.success)
    throw new UnreadableNotificationMessageError(
      `Not a pipeline event or digest request: ${problemsOf(event.error, 'message').join('; ')}`,
    );
  if (!(NOTIFYING_DETAIL_TYPES as readonly string[]).includes(event.data['detail-type'])) {
    throw new UnreadableNotificationMessageError(`${event.data['detail-type']} is not an event users are told about`);
  }
  return { kind: 'event', event: event.data as NotifyingEvent };
}
