/**
 * Named errors of StoreMetadata. The state machine does not name them in `ErrorEquals`: it retries a list of
 * transient AWS errors (DynamoDB's ProvisionedThroughputExceededException, ThrottlingException and 5xx keep the
 * SDK's names) and catches `States.ALL`. A StoreMetadata failure goes to RecordFailure; a RecordFailure failure
 * still ends the execution in Fail with the original error.
 */
import { ERROR_NAMES, PipelineError } from '@smart-image-pipeline/contracts';

export { ConfigurationError } from '@smart-image-pipeline/contracts';

/** The state handed to StoreMetadata/RecordFailure breaks the contract; retrying cannot help. */
export class InvalidStoreInputError extends PipelineError {
  public override readonly name = ERROR_NAMES.invalidStoreInput;
}
