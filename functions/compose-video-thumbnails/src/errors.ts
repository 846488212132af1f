/** Named errors of ComposeVideoThumbnails; none is retried. */
import { ERROR_NAMES, PipelineError } from '@smart-image-pipeline/contracts';

export { ConfigurationError, InvalidVideoInputError } from '@smart-image-pipeline/contracts';

/** The transcode left no thumbnail or poster frames where the plan put them. */
export class VideoTranscodeFailedError extends PipelineError {
  public override readonly name = ERROR_NAMES.videoTranscodeFailed;
}
