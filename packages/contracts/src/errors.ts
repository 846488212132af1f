/**
 * Error names the pipeline's functions throw. The state machine names none of them in `ErrorEquals` but the one
 * transient one (PeopleLockBusyError, retried by AnalyseImage): every Task retries a list of transient AWS error names
 * (throttling, 5xx, Lambda service errors) and catches `States.ALL` into RecordFailure. These names are what RecordFailure stores as the image's `error.name`, what the console,
 * the notifications and the logs show, and what tests and operators match on, so they must stay stable.
 */
export const ERROR_NAMES = Object.freeze({
  /** The function's environment is missing or invalid (a deploy error; fails the cold start). */
  configuration: 'ConfigurationError',
  invalidS3Event: 'InvalidS3EventError',
  malformedObjectKey: 'MalformedObjectKeyError',
  foreignBucket: 'ForeignBucketError',
  startExecutionFailed: 'StartExecutionFailedError',
  invalidResizeInput: 'InvalidResizeInputError',
  unsupportedImageType: 'UnsupportedImageTypeError',
  imageTooLarge: 'ImageTooLargeError',
  corruptImage: 'CorruptImageError',
  sourceNotFound: 'SourceNotFoundError',
  invalidAnalysisInput: 'InvalidAnalysisInputError',
  invalidAnalysisImage: 'InvalidAnalysisImageError',
  invalidConfig: 'InvalidConfigError',
  invalidStoreInput: 'InvalidStoreInputError',
  invalidCleanUpEvent: 'InvalidCleanUpEventError',
  /** ModerationReview got a payload that breaks docs/contracts.md "Moderation review". */
  invalidReviewInput: 'InvalidReviewInputError',
  /** A newer revision of the image holds its review item: this run's review is void. */
  reviewSuperseded: 'ReviewSupersededError',
  // Video uploads (issue 14): refused from the container header before any paid call, or failed in a paid step.
  invalidVideoInput: 'InvalidVideoInputError',
  unsupportedVideoFormat: 'UnsupportedVideoFormatError',
  videoTooLarge: 'VideoTooLargeError',
  videoTooLong: 'VideoTooLongError',
  corruptVideo: 'CorruptVideoError',
  noVideoStream: 'NoVideoStreamError',
  videoTranscodeFailed: 'VideoTranscodeFailedError',
  videoAnalysisFailed: 'VideoAnalysisFailedError',
  videoAnalysisTimedOut: 'VideoAnalysisTimedOutError',
  /** The API function was invoked with something other than an API Gateway HTTP API request. */
  invalidApiEvent: 'InvalidApiEventError',
  /** The web-deploy custom resource got something other than a CloudFormation request, or a bad site config. */
  invalidCustomResourceEvent: 'InvalidCustomResourceEventError',
  /** The run or the reprocess request names a pipeline version the PipelineConfig parameter does not hold. */
  unknownPipelineVersion: 'UnknownPipelineVersionError',
  /** The PipelineConfig gives a version that already ran other settings (its VERSION# item's fingerprint). */
  pipelineVersionChanged: 'PipelineVersionChangedError',
  /** A reprocess request (selection, version, concurrency) that cannot be run. */
  invalidReprocessRequest: 'InvalidReprocessRequestError',
  /**
   * Another run held the owner's people lock too long (face grouping): transient, so AnalyseImage's retrier names it
   * (the one function error the state machine retries).
   */
  peopleLockBusy: 'PeopleLockBusyError',
});

/** One of the names above. */
export type PipelineErrorName = (typeof ERROR_NAMES)[keyof typeof ERROR_NAMES];

/**
 * Base of every named error the functions throw. Subclasses set `name` to a constant above (a literal, because
 * bundles are minified and class names do not survive); `cause` keeps the original error for logs and X-Ray.
 */
export abstract class PipelineError extends Error {
  abstract override readonly name: PipelineErrorName;

  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The environment lacks required variables or holds values that cannot be parsed; thrown at cold start. */
export class ConfigurationError extends PipelineError {
  public override readonly name = ERROR_NAMES.configuration;

  /** @param problems one entry per missing or invalid variable, each naming it. */
  public constructor(public readonly problems: readonly string[]) {
    super(`Missing or invalid environment variables: ${problems.join('; ')}`);
  }
}

// The errors below are thrown by more than one function with the same meaning, so they are defined once here.

/** A step's state input does not have that step's shape: a wiring bug in the state machine. */
export class InvalidVideoInputError extends PipelineError {
  public override readonly name = ERROR_NAMES.invalidVideoInput;
}

/** The SSM PipelineConfig parameter is missing, not JSON, or holds a value outside its range. */
export class InvalidConfigError extends PipelineError {
  public override readonly name = ERROR_NAMES.invalidConfig;
}

/** The uploaded object (or the requested version of it) does not exist. */
export class SourceNotFoundError extends PipelineError {
  public override readonly name = ERROR_NAMES.sourceNotFound;
}
