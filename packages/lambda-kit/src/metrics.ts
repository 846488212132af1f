import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';

/**
 * The business metrics (CloudWatch EMF, one namespace per stack). Each is recorded where the fact is known:
 * processed and failed images where StoreMetadata records them, Rekognition calls where AnalyseImage made them,
 * bytes saved where ResizeImage wrote the variants.
 */
export const METRIC_NAMES = Object.freeze({
  imagesProcessed: 'ImagesProcessed',
  imagesFailed: 'ImagesFailed',
  rekognitionCalls: 'RekognitionCalls',
  rekognitionCallsPerImage: 'RekognitionCallsPerImage',
  rekognitionCallsSkipped: 'RekognitionCallsSkipped',
  stepDuration: 'StepDuration',
  bytesSavedByResizing: 'BytesSavedByResizing',
  notificationsSent: 'NotificationsSent',
  notificationsHeld: 'NotificationsHeld',
  notificationsSkipped: 'NotificationsSkipped',
  notificationsFailed: 'NotificationsFailed',
});

/** Which run stored a result: an upload's first processing, or a reprocess run of another pipeline version. */
export type RunKind = 'upload' | 'reprocess';

/**
 * One image stored as SUCCEEDED (one Image Processed event, one processed analytics fact), by `run` (`upload`,
 * `reprocess`): the dashboard's image count, so runs that stored nothing and reprocess runs never pass for uploads.
 */
export function recordImageProcessed(metrics: Metrics, run: RunKind): void {
  metrics.singleMetric().addDimension('run', run).addMetric(METRIC_NAMES.imagesProcessed, MetricUnit.Count, 1);
}

/** One image recorded as FAILED, with the error name as the `reason` dimension (a fixed set of named errors). */
export function recordImageFailed(metrics: Metrics, reason: string): void {
  metrics.singleMetric().addDimension('reason', reason).addMetric(METRIC_NAMES.imagesFailed, MetricUnit.Count, 1);
}

/** One Rekognition call per API name (the `api` dimension), so the bill can be read per API. */
export function recordRekognitionCalls(metrics: Metrics, apis: readonly string[]): void {
  for (const api of apis) metrics.singleMetric().addDimension('api', api).addMetric(METRIC_NAMES.rekognitionCalls, MetricUnit.Count, 1);
}

/**
 * One analysed image's Rekognition calls made, and optional calls the configuration switched off (0s too), with only
 * the `service` dimension: their Sum is the calls, their Average the calls per analysed image (the dashboard's
 * cost-per-1,000 and calls-per-image widgets read them).
 */
export function recordRekognitionPerImage(metrics: Metrics, made: number, skipped: number): void {
  metrics.addMetric(METRIC_NAMES.rekognitionCallsPerImage, MetricUnit.Count, made);
  metrics.addMetric(METRIC_NAMES.rekognitionCallsSkipped, MetricUnit.Count, skipped);
}

/** A timed step's own duration (ms), by `step` (resolveVersion, resize, analyse, store): the dashboard's p50/p95. */
export function recordStepDuration(metrics: Metrics, step: string, milliseconds: number): void {
  metrics.singleMetric().addDimension('step', step).addMetric(METRIC_NAMES.stepDuration, MetricUnit.Milliseconds, milliseconds);
}

/** Bytes a viewer saves by loading the largest variant instead of the upload (never negative). */
export function recordBytesSaved(metrics: Metrics, bytes: number): void {
  metrics.addMetric(METRIC_NAMES.bytesSavedByResizing, MetricUnit.Bytes, Math.max(0, bytes));
}

/** One message sent to an owner, by channel (`email`, `sms`); a digest counts as one. */
export function recordNotificationSent(metrics: Metrics, channel: string): void {
  metrics.singleMetric().addDimension('channel', channel).addMetric(METRIC_NAMES.notificationsSent, MetricUnit.Count, 1);
}

/** One message the rate limit held back for its window's digest, by channel. */
export function recordNotificationHeld(metrics: Metrics, channel: string): void {
  metrics.singleMetric().addDimension('channel', channel).addMetric(METRIC_NAMES.notificationsHeld, MetricUnit.Count, 1);
}

/** One message not sent on purpose, by reason (a fixed set: `unverified`, `channelOff`, `duplicate`, …). */
export function recordNotificationSkipped(metrics: Metrics, reason: string): void {
  metrics.singleMetric().addDimension('reason', reason).addMetric(METRIC_NAMES.notificationsSkipped, MetricUnit.Count, 1);
}

/** One send a channel's provider refused or failed (the record is retried, then parked in the DLQ). */
export function recordNotificationFailed(metrics: Metrics, channel: string): void {
  metrics.singleMetric().addDimension('channel', channel).addMetric(METRIC_NAMES.notificationsFailed, MetricUnit.Count, 1);
}
