/**
 * Named errors of ResolveVersion. None is retried: each means the PipelineConfig parameter or the run's input must
 * change first. The state machine catches them into RecordFailure, which never overwrites a success of the same revision.
 */
export {
  ConfigurationError,
  InvalidConfigError,
  PipelineVersionChangedError,
  UnknownPipelineVersionError,
} from '@smart-image-pipeline/contracts';
