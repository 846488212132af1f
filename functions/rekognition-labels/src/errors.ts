/**
 * Named errors of AnalyseImage. The state machine does not name them in `ErrorEquals`: it retries a list of
 * transient AWS errors (Rekognition's and SSM's throttling and 5xx keep the SDK's names) and catches `States.ALL`
 * into RecordFailure, which stores the error's `name` on the image. Each of these means "this input or this
 * configuration will not work on a retry", so none is in the retry list.
 */
import { ERROR_NAMES, PipelineError } from '@smart-image-pipeline/contracts';

export { ConfigurationError, InvalidConfigError, UnknownPipelineVersionError } from '@smart-image-pipeline/contracts';

/** Rekognition refused the analysis image (format, size, or S3 object); retrying cannot help. */
export class InvalidAnalysisImageError extends PipelineError {
  public override readonly name = ERROR_NAMES.invalidAnalysisImage;
}

/** The state input does not have the AnalyseImage shape: a wiring bug in the state machine. */
export class InvalidAnalysisInputError extends PipelineError {
  public override readonly name = ERROR_NAMES.invalidAnalysisInput;
}
