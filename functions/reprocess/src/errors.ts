/**
 * Named errors of the Reprocess function. None is retried by the state machine: the request must change first.
 */
export { ConfigurationError, UnknownPipelineVersionError } from '@smart-image-pipeline/contracts';
import { ERROR_NAMES, PipelineError } from '@smart-image-pipeline/contracts';

/** The selection, the version or the concurrency of a reprocess request cannot be run; nothing was changed. */
export class InvalidReprocessRequestError extends PipelineError {
  public override readonly name = ERROR_NAMES.invalidReprocessRequest;
}
