import type { Context } from 'aws-lambda';
import { logger, sfn } from './clients';
import { loadConfig } from './config';
import { parseS3Event } from './s3-event';
import { startExecutions } from './start-executions';
import type { TriggerSummary } from './types';

// Read at cold start so a missing variable fails the first invocation loudly, not a later one.
const config = loadConfig();

/**
 * Turns each ObjectCreated record of an S3 event into one ImagePipeline execution.
 * @throws InvalidS3EventError when the payload is not an S3 event notification.
 * @throws StartExecutionFailedError when StartExecution failed for a retryable reason.
 */
export const handler = async (event: unknown, context?: Context): Promise<TriggerSummary> => {
  if (context !== undefined) logger.addContext(context);
  const parsed = parseS3Event(event);
  if (!parsed.ok) {
    logger.error('Rejected event', { error: parsed.error.name, reason: parsed.error.message });
    throw parsed.error;
  }
  const summary = await startExecutions(parsed, {
    sfn,
    stateMachineArn: config.stateMachineArn,
    uploadsPrefix: config.uploadsPrefix,
    logger,
  });
  logger.info('Processed S3 event', {
    started: summary.started,
    duplicates: summary.duplicates,
    skipped: summary.skipped,
    failed: summary.failed?.length ?? 0,
  });
  return summary;
};
