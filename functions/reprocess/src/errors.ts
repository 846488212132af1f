/**
 * Named errors of the Reprocess function. None is retried by the state machine: the request must change first.
 */
export { ConfigurationError, InvalidReprocessRequestError, UnknownPipelineVersionError } from '@smart-image-pipeline/contracts';
