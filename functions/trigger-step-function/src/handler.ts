import { withHandler } from '@smart-image-pipeline/lambda-kit';
import { powertools, sfn } from './clients';
import { loadConfig } from './config';
import { parseS3Event } from './s3-event';
import { startExecutions } from './start-executions';

// Read at cold start so a missing variable fails the first invocation loudly, not a later one.
const config = loadConfig();

/**
 * Turns each ObjectCreated record of an S3 event into one ImagePipeline execution. One event may name many
 * images, so the log keys (imageId, bucket, key, executionArn) go on each record's line, not on the invocation.
 * @throws InvalidS3EventError when the payload is not an S3 event notification.
 * @throws StartExecutionFailedError when StartExecution failed for a retryable reason.
 */
export const handler = withHandler(powertools, {
  parse: (event) => {
    const parsed = parseS3Event(event);
    if (!parsed.ok) throw parsed.error;
    return parsed;
  },
  run: async (event, { logger }) => {
    const summary = await startExecutions(event, { sfn, ...config, logger });
    logger.info('Processed S3 event', {
      started: summary.started,
      duplicates: summary.duplicates,
      skipped: summary.skipped,
      failed: summary.failed?.length ?? 0,
    });
    return summary;
  },
});
