import {
  isObject,
  parseWith,
  recordFailureInputSchema,
  stepDurationsOf,
  storeActionSchema,
  storeSuccessInputSchema,
} from '@smart-image-pipeline/contracts';
import type { RunKind } from '@smart-image-pipeline/lambda-kit';
import { InvalidStoreInputError } from './errors';
import { describeFailure } from './failure-cause';
import type { StoreRequest } from './types';

const invalid = (problems: string[]) => new InvalidStoreInputError(`Invalid StoreMetadata input: ${problems.join('; ')}`);

/**
 * Validates the state handed to StoreMetadataFunction against the contracts' schemas and tells a success from a
 * failure record; picks up the durations the earlier steps put on the state (RecordFailure gets the state at `state`)
 * and, for a success, whether an upload or a reprocess run stored it.
 * @throws InvalidStoreInputError naming every field that breaks docs/contracts.md.
 */
export function parseStoreRequest(event: unknown): StoreRequest {
  const { action } = parseWith(storeActionSchema, event, invalid);
  if (action === 'recordFailure') {
    const { imageId, revision, owner, source, receivedAt, resolvedVersion, error } = parseWith(recordFailureInputSchema, event, invalid);
    return {
      action,
      input: { imageId, revision, owner, source, receivedAt, resolvedVersion, error: describeFailure(error) },
      stepDurations: stepDurationsOf(isObject(event) ? event.state : undefined, null),
    };
  }
  return {
    action,
    input: parseWith(storeSuccessInputSchema, event, invalid),
    stepDurations: stepDurationsOf(event, null),
    run: runKindOf(event),
  };
}

/**
 * A reprocess run's execution input names its target `pipelineVersion` (the reprocessor sets it; an upload's trigger
 * never does), and the state keeps the input's fields at its root.
 */
export function runKindOf(state: unknown): RunKind {
  return isObject(state) && typeof state.pipelineVersion === 'string' ? 'reprocess' : 'upload';
}
