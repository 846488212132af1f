import { recordImageFailed, recordImageProcessed, withHandler } from '@smart-image-pipeline/lambda-kit';
import { documentClient, powertools } from './clients';
import { loadConfig } from './config';
import { failedEvents, processedEvents } from './events';
import { recordFailure, storeImage, type StoreDeps } from './image-store';
import { parseStoreRequest } from './parse-input';

// Read at cold start so a missing variable fails the first invocation loudly, not a later one.
const config = loadConfig();

const deps: StoreDeps = { db: documentClient, tableName: config.imagesTableName, now: () => new Date(), logger: powertools.logger };

/**
 * Writes the image item and its search items for a run (default), or records its failure
 * (`"action": "recordFailure"`); counts processed and failed images where they are recorded, and hands the state
 * machine the events to publish for what it wrote (none when a newer revision holds the item).
 * @throws InvalidStoreInputError when the state breaks the contract (not retried).
 * @throws ProvisionedThroughputExceededException / ThrottlingException from DynamoDB (retried by the state machine).
 */
export const handler = withHandler(powertools, {
  parse: parseStoreRequest,
  // Storing is the timed `store` step; recording a failure is not a step of the run.
  step: (request) => (request.action === 'storeMetadata' ? 'store' : undefined),
  logKeys: ({ input }) => ({ imageId: input.imageId, bucket: input.source.bucket, key: input.source.key }),
  run: async (request, { metrics, elapsedMs }) => {
    if (request.action === 'recordFailure') {
      const result = await recordFailure(request.input, deps);
      if (result.written) recordImageFailed(metrics, request.input.error.name);
      return { ...result, events: result.written ? failedEvents(request.input, powertools.logger, request.stepDurations) : {} };
    }
    const result = await storeImage(request.input, deps);
    if (result.written) recordImageProcessed(metrics, request.run);
    // The store step's time: the invocation until its items are written (the events are built from here on).
    const stepDurations = { ...request.stepDurations, storeMs: Math.round(elapsedMs()) };
    return { ...result, events: result.written ? processedEvents(request.input, powertools.logger, stepDurations) : {} };
  },
});
