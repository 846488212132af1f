/**
 * Named errors of StoreMetadata. Each `name` is the string the state machine's `ErrorEquals` uses.
 * DynamoDB throttling is not wrapped: it surfaces under the SDK's own names
 * (ProvisionedThroughputExceededException, ThrottlingException), which the state machine retries.
 */

/** Thrown at cold start when required environment variables are missing. */
export class ConfigurationError extends Error {
  public override readonly name = 'ConfigurationError';

  public constructor(
    message: string,
    public readonly variables: readonly string[],
  ) {
    super(message);
  }
}

/** The state handed to StoreMetadata/RecordFailure breaks the contract; retrying cannot help. */
export class InvalidStoreInputError extends Error {
  public override readonly name = 'InvalidStoreInputError';
}
