/**
 * Named errors of the trigger. Each `name` is what logs, the on-failure queue and tests match on,
 * so it must stay stable.
 */

/** Thrown at cold start when required environment variables are missing or invalid. */
export class ConfigurationError extends Error {
  public override readonly name = 'ConfigurationError';

  public constructor(
    message: string,
    public readonly variables: readonly string[],
  ) {
    super(message);
  }
}

/** The invocation payload is not an S3 event notification (or a record in it is not usable). */
export class InvalidS3EventError extends Error {
  public override readonly name = 'InvalidS3EventError';
}

/** One record's object key is not valid URL encoding; only that record fails. */
export class MalformedObjectKeyError extends Error {
  public override readonly name = 'MalformedObjectKeyError';

  public constructor(public readonly encodedKey: string) {
    super(`Object key is not valid URL encoding: ${JSON.stringify(encodedKey.slice(0, 200))}`);
  }
}

/**
 * StartExecution failed for a reason other than a duplicate (throttling, service errors).
 * Thrown after every record was tried so Lambda's async retry, and finally the on-failure
 * destination, get the event; records that did start are duplicates on the retry.
 */
export class StartExecutionFailedError extends Error {
  public override readonly name = 'StartExecutionFailedError';

  public constructor(
    public readonly failedKeys: readonly string[],
    public readonly firstCause: unknown,
  ) {
    const causeName = firstCause instanceof Error ? firstCause.name : 'UnknownError';
    super(`StartExecution failed for ${failedKeys.length} record(s); first error: ${causeName}`);
  }
}
