/**
 * Named errors of the notifier. A message it cannot read or deliver is reported back to the event source mapping
 * (ReportBatchItemFailures), retried with the queue's visibility timeout and, after maxReceiveCount, parked in the
 * notification DLQ; nothing here ever touches an image's status.
 */
export { ConfigurationError } from '@smart-image-pipeline/contracts';

/** A queue message that is neither a pipeline event nor a digest request. */
export class UnreadableNotificationMessageError extends Error {
  public override readonly name = 'UnreadableNotificationMessageError';
}

/** A channel's provider refused or failed a send; the record is retried, then parked in the DLQ. */
export class DeliveryFailedError extends Error {
  public override readonly name = 'DeliveryFailedError';
}
