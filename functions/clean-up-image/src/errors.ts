/**
 * Named errors of CleanUpImage. S3 invokes it asynchronously: a thrown error makes Lambda retry the event, then
 * send it to the function's failure queue, where the name tells an operator what went wrong.
 */
import { ERROR_NAMES, PipelineError } from '@smart-image-pipeline/contracts';

export { ConfigurationError } from '@smart-image-pipeline/contracts';

/** The event is neither an S3 ObjectRemoved notification nor an "Image Processed" event; retrying cannot help. */
export class InvalidCleanUpEventError extends PipelineError {
  public override readonly name = ERROR_NAMES.invalidCleanUpEvent;
}
