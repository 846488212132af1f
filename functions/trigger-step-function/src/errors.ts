/**
 * Named errors of the trigger. Nothing in the state machine matches them (the trigger runs before it): their
 * names are what the logs, the on-failure queue's records and the tests show, so they must stay stable.
 */
import { ERROR_NAMES, PipelineError } from '@smart-image-pipeline/contracts';

export { ConfigurationError, MalformedObjectKeyError } from '@smart-image-pipeline/contracts';

/** The invocation payload is not an S3 event notification (or a record in it is not usable). */
export class InvalidS3EventError extends PipelineError {
  public override readonly name = ERROR_NAMES.invalidS3Event;
}

/** A record names a bucket other than this stack's uploads bucket; nothing is started for it. */
export class ForeignBucketError extends PipelineError {
  public override readonly name = ERROR_NAMES.foreignBucket;

  public constructor(bucket: string, expected: string) {
    super(`Records of bucket ${JSON.stringify(bucket.slice(0, 100))} are refused; this trigger serves ${expected} only`);
  }
}

/**
 * StartExecution failed for a reason other than a duplicate (throttling, service errors).
 * Thrown after every record was tried so Lambda's async retry, and finally the on-failure
 * destination, get the event; records that did start are duplicates on the retry.
 */
export class StartExecutionFailedError extends PipelineError {
  public override readonly name = ERROR_NAMES.startExecutionFailed;

  public constructor(
    public readonly failedKeys: readonly string[],
    public readonly firstCause: unknown,
  ) {
    const causeName = firstCause instanceof Error ? firstCause.name : 'UnknownError';
    super(`StartExecution failed for ${failedKeys.length} record(s); first error: ${causeName}`, { cause: firstCause });
  }
}
