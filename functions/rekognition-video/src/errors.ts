/** Named errors of the video analysis steps; none is retried (caught into RecordFailure). */
import { ERROR_NAMES, PipelineError } from '@smart-image-pipeline/contracts';

export { ConfigurationError } from '@smart-image-pipeline/contracts';

/** The state input has neither action's shape: a wiring bug. */
export class InvalidVideoInputError extends PipelineError {
  public override readonly name = ERROR_NAMES.invalidVideoInput;
}

/** Rekognition Video refused the video or a job ended FAILED (its StatusMessage is the reason). */
export class VideoAnalysisFailedError extends PipelineError {
  public override readonly name = ERROR_NAMES.videoAnalysisFailed;
}

/** The jobs were still running after the polls the analysed duration allows. */
export class VideoAnalysisTimedOutError extends PipelineError {
  public override readonly name = ERROR_NAMES.videoAnalysisTimedOut;
}

/** The SSM analysis config is missing or invalid. */
export class InvalidConfigError extends PipelineError {
  public override readonly name = ERROR_NAMES.invalidConfig;
}
