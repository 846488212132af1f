import { withHandler } from '@smart-image-pipeline/lambda-kit';
import { documentClient, powertools, s3 } from './clients';
import { loadConfig } from './config';
import { parseReviewEvent } from './parse-input';
import { applyDecision, recordReviewFailure, requestReview, type ReviewDeps } from './review-store';

// Read at cold start so a missing variable fails the first invocation loudly, not a later one.
const config = loadConfig();

const deps: ReviewDeps = {
  db: documentClient,
  s3,
  tableName: config.imagesTableName,
  processedBucket: config.processedBucketName,
  now: () => new Date(),
  logger: powertools.logger,
};

/**
 * The moderation review's steps: `requestReview` (AwaitReview, a .waitForTaskToken invoke) stores the task token
 * on the image's review item for the admins' queue; `applyDecision` (ApplyReviewDecision) carries out the decision
 * that came back (or the timeout default) and writes the AUDIT item; `recordReviewFailure` (RecordReviewFailure)
 * marks the review FAILED when either of them failed, so the queue shows it and an admin can re-run the image.
 * @throws InvalidReviewInputError when the payload breaks the contract; ReviewSupersededError when a newer revision
 * holds the review; DynamoDB/S3 throttling errors unchanged (retried by the state machine).
 */
export const handler = withHandler(powertools, {
  parse: parseReviewEvent,
  logKeys: ({ input }) => ({ imageId: input.imageId }),
  run: async (request) => {
    if (request.action === 'requestReview') return requestReview(request.input, deps);
    if (request.action === 'applyDecision') return applyDecision(request.input, deps);
    return recordReviewFailure(request.input, deps);
  },
});
