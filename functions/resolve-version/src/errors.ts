/**
 * Named errors of ResolveVersion. None is retried: each means the PipelineConfig parameter or the run's input must
 * change first. The state machine catches them into RecordFailure, which never overwrites a success of the same revision.
 */
import { ERROR_NAMES, PipelineError } from '@smart-image-pipeline/contracts';

export { ConfigurationError, PipelineVersionChangedError, UnknownPipelineVersionError } from '@smart-image-pipeline/contracts';

/** The PipelineConfig parameter is missing, not JSON, or invalid. */
export class InvalidConfigError extends PipelineError {
  public override readonly name = ERROR_NAMES.invalidConfig;
}
