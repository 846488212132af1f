/**
 * Named domain errors. Each `name` is the exact string the state machine's `ErrorEquals` matches,
 * so retry and catch stay in the ASL and never in the handler.
 */

/** The bytes are not an image type this function accepts (checked from the bytes, never from the name). */
export class UnsupportedImageTypeError extends Error {
  override readonly name = 'UnsupportedImageTypeError';
}

/** The object is larger than MAX_INPUT_BYTES or its header claims more than MAX_INPUT_PIXELS. */
export class ImageTooLargeError extends Error {
  override readonly name = 'ImageTooLargeError';
}

/** The object is empty, truncated or cannot be decoded although its bytes look like a supported type. */
export class CorruptImageError extends Error {
  override readonly name = 'CorruptImageError';
}

/** The source object (or the requested version) does not exist. */
export class SourceNotFoundError extends Error {
  override readonly name = 'SourceNotFoundError';
}

/** The state handed to the function does not have the shape of the state machine input. */
export class InvalidResizeInputError extends Error {
  override readonly name = 'InvalidResizeInputError';
}

/** The environment lacks required variables or holds values that cannot be parsed. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}
