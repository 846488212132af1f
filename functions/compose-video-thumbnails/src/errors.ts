/** Named errors of ComposeVideoThumbnails; none is retried. */
import { ERROR_NAMES, PipelineError } from '@smart-image-pipeline/contracts';

export { ConfigurationError } from '@smart-image-pipeline/contracts';

/** The state input does not have the step's shape: a wiring bug. */
export class InvalidVideoInputError extends PipelineError {
  public override readonly name = ERROR_NAMES.invalidVideoInput;
}

/** The transcode left no thumbnail or poster frames where the plan put them. */
export class VideoTranscodeFailedError extends PipelineError {
  public override readonly name = ERROR_NAMES.videoTranscodeFailed;
}
