import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { parseWith, sqsEventSchema } from '@smart-image-pipeline/contracts';
import {
  recordNotificationFailed,
  recordNotificationHeld,
  recordNotificationSent,
  recordNotificationSkipped,
  withHandler,
} from '@smart-image-pipeline/lambda-kit';
import { channelClients, cognitoClient, documentClient, powertools, sqsClient } from './clients';
import { loadConfig } from './config';
import { UnreadableNotificationMessageError } from './errors';
import { notifyOwner, sendDigest, type NotifyDeps } from './notify';
import { parseNotificationMessage } from './parse-message';
import { cognitoDirectory, NO_DIRECTORY } from './user-directory';

// Read at cold start so a missing variable fails the first invocation loudly, not a later one.
const config = loadConfig();
if (config.userPoolId === null) powertools.logger.warn('USER_POOL_ID is not set: no address can be verified, so no notification is sent');

const { metrics, logger } = powertools;
const deps: NotifyDeps = {
  config,
  db: documentClient,
  now: () => new Date(),
  directory: config.userPoolId === null ? NO_DIRECTORY : cognitoDirectory(cognitoClient, config.userPoolId),
  clients: channelClients,
  queueDigest: async (request, delaySeconds) => {
    await sqsClient.send(
      new SendMessageCommand({ QueueUrl: config.notificationQueueUrl, MessageBody: JSON.stringify(request), DelaySeconds: delaySeconds }),
    );
  },
  report: {
    sent: (channel) => recordNotificationSent(metrics, channel),
    held: (channel) => recordNotificationHeld(metrics, channel),
    skipped: (reason) => recordNotificationSkipped(metrics, reason),
    failed: (channel) => recordNotificationFailed(metrics, channel),
  },
  logger,
};

/**
 * Reads a batch of the notification queue (events the notification rule delivered, and the notifier's own digest
 * requests) and tells each owner as their preferences say. A record that cannot be delivered is reported back
 * (ReportBatchItemFailures), retried by the queue and finally parked in the notification DLQ; the others are done.
 * @throws UnreadableNotificationMessageError when the event is not an SQS batch at all (the whole batch is retried).
 */
export const handler = withHandler(powertools, {
  parse: (event) =>
    parseWith(sqsEventSchema, event, (problems) => new UnreadableNotificationMessageError(`Not an SQS event: ${problems.join('; ')}`)),
  run: async ({ Records }) => {
    const batchItemFailures: { itemIdentifier: string }[] = [];
    for (const record of Records) {
      try {
        const message = parseNotificationMessage(record.body);
        const outcomes = message.kind === 'digest' ? [await sendDigest(message, deps)] : await notifyOwner(message.event, deps);
        const imageId = message.kind === 'event' ? message.event.detail.imageId : undefined;
        logger.info('Notification handled', { messageId: record.messageId, imageId, kind: message.kind, outcomes });
      } catch (error) {
        logger.error('Notification not delivered; the queue retries it, then parks it in the DLQ', {
          messageId: record.messageId,
          error: error instanceof Error ? error.name : 'UnknownError',
          reason: error instanceof Error ? error.message : String(error),
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  },
});
