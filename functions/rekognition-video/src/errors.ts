/** Named errors of the video analysis steps; none is retried (caught into RecordFailure). */
import { ERROR_NAMES, PipelineError } from '@smart-image-pipeline/contracts';

export { ConfigurationError, InvalidConfigError, InvalidVideoInputError } from '@smart-image-pipeline/contracts';

/** Rekognition Video refused the video or a job ended FAILED (its StatusMessage is the reason). */
export class VideoAnalysisFailedError extends PipelineError {
  public override readonly name = ERROR_NAMES.videoAnalysisFailed;
}

/** The jobs were still running after the polls the analysed duration allows. */
export class VideoAnalysisTimedOutError extends PipelineError {
  public override readonly name = ERROR_NAMES.videoAnalysisTimedOut;
}
