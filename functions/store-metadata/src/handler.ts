import type { Context } from 'aws-lambda';
import { documentClient, logger } from './clients';
import { loadConfig } from './config';
import { recordFailure, storeImage, type StoreDeps } from './image-store';
import { parseStoreRequest } from './parse-input';
import type { StoreResult } from './types';

// Read at cold start so a missing variable fails the first invocation loudly, not a later one.
const config = loadConfig();

const deps: StoreDeps = { db: documentClient, tableName: config.imagesTableName, now: () => new Date(), logger };

/**
 * Writes the image item and its search items for a run (default), or records its failure
 * (`"action": "recordFailure"`).
 * @throws InvalidStoreInputError when the state breaks the contract (not retried).
 * @throws ProvisionedThroughputExceededException / ThrottlingException from DynamoDB (retried by the state machine).
 */
export const handler = async (event: unknown, context?: Context): Promise<StoreResult> => {
  if (context !== undefined) logger.addContext(context);
  const request = parseStoreRequest(event);
  return request.action === 'recordFailure' ? recordFailure(request.input, deps) : storeImage(request.input, deps);
};
