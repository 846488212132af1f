import { withHandler } from '@smart-image-pipeline/lambda-kit';
import { createAwsDeps } from './aws-deps';
import { pruneSupersededRevisions, removeUpload } from './clean-up';
import { documentClient, powertools, rekognition, s3 } from './clients';
import { loadConfig } from './config';
import { parseCleanUpEvent } from './parse-event';
import type { CleanUpOutcome } from './types';

// Read at cold start so a missing variable fails the first invocation loudly, not a later one.
const config = loadConfig();
const deps = createAwsDeps({ s3, db: documentClient, rekognition, config, now: () => new Date(), logger: powertools.logger });

/**
 * Removes what the pipeline keeps for a deleted upload (S3 ObjectRemoved), and the outputs of revisions an image
 * no longer shows (an "Image Processed"/"Image Failed" event), one request after the other.
 * @throws InvalidCleanUpEventError for an event that is neither; S3 and DynamoDB errors for Lambda to retry.
 */
export const handler = withHandler(powertools, {
  parse: (event) => parseCleanUpEvent(event, config),
  run: async (requests, { logger }) => {
    const outcomes: CleanUpOutcome[] = [];
    for (const request of requests) {
      const outcome = request.kind === 'removed' ? await removeUpload(request, deps) : await pruneSupersededRevisions(request, deps);
      logger.info('Cleaned up', { ...outcome, ...(request.kind === 'removed' ? { bucket: request.bucket, key: request.key } : {}) });
      outcomes.push(outcome);
    }
    return outcomes;
  },
});
