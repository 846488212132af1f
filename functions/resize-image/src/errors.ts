/**
 * Named errors of ResizeImage. The state machine does not name them in `ErrorEquals`: it retries a list of
 * transient AWS errors (S3's `SlowDown`, `InternalError`, …, which keep the SDK's names) and catches `States.ALL`
 * into RecordFailure, which stores the error's `name` on the image. So these names are what the image item, the
 * notification, the console and the tests show, and none of them is ever retried.
 */
import { ERROR_NAMES, PipelineError } from '@smart-image-pipeline/contracts';

export { ConfigurationError, SourceNotFoundError } from '@smart-image-pipeline/contracts';

/** The bytes are not an image type this function accepts (checked from the bytes, never from the name). */
export class UnsupportedImageTypeError extends PipelineError {
  override readonly name = ERROR_NAMES.unsupportedImageType;
}

/** The object is larger than MAX_INPUT_BYTES or its header claims more than MAX_INPUT_PIXELS. */
export class ImageTooLargeError extends PipelineError {
  override readonly name = ERROR_NAMES.imageTooLarge;
}

/** The object is empty, truncated or cannot be decoded although its bytes look like a supported type. */
export class CorruptImageError extends PipelineError {
  override readonly name = ERROR_NAMES.corruptImage;
}

/** The state handed to the function does not have the shape of the state machine input. */
export class InvalidResizeInputError extends PipelineError {
  override readonly name = ERROR_NAMES.invalidResizeInput;
}
