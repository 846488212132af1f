import { InvalidAnalysisImageError } from './errors';

/**
 * Rekognition errors that mean "this image will never work". Everything else, above all
 * ThrottlingException, ProvisionedThroughputExceededException, InternalServerError and
 * ServiceUnavailableException, keeps its SDK name so the state machine's Retry sees it.
 */
const INVALID_IMAGE_ERRORS = new Set([
  'InvalidImageFormatException',
  'ImageTooLargeException',
  'InvalidParameterException',
  'InvalidS3ObjectException',
]);

/** Turns a refused-image error into `InvalidAnalysisImageError` and returns any other error unchanged. */
export function classifyRekognitionError(error: unknown): unknown {
  if (error instanceof Error && INVALID_IMAGE_ERRORS.has(error.name)) {
    return new InvalidAnalysisImageError(`${error.name}: ${error.message}`, { cause: error });
  }
  return error;
}
