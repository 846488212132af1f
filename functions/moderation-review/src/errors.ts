/** Named errors of ModerationReview (the state machine catches them with States.ALL into RecordFailure). */
import { ERROR_NAMES, PipelineError } from '@smart-image-pipeline/contracts';

export { ConfigurationError } from '@smart-image-pipeline/contracts';

/** The payload breaks the contract; retrying cannot help. */
export class InvalidReviewInputError extends PipelineError {
  public override readonly name = ERROR_NAMES.invalidReviewInput;
}

/** A newer revision's review holds the image's review item, so this (older) run must not take it over. */
export class ReviewSupersededError extends PipelineError {
  public override readonly name = ERROR_NAMES.reviewSuperseded;
}
