/**
 * Named errors of ProbeVideo: each refuses the upload from its container header, before any paid call, and none is
 * retried (the state machine catches them into RecordFailure, which stores the name and the reason).
 */
import { ERROR_NAMES, PipelineError } from '@smart-image-pipeline/contracts';

export { ConfigurationError, InvalidVideoInputError, SourceNotFoundError } from '@smart-image-pipeline/contracts';

/** A container or codec the pipeline does not accept (AVI, AV1, ProRes, a fragmented MP4 without a duration, …). */
export class UnsupportedVideoFormatError extends PipelineError {
  public override readonly name = ERROR_NAMES.unsupportedVideoFormat;
}

/** Too many bytes, too many pixels per frame, or a header (index) too large to read within the probe's budget. */
export class VideoTooLargeError extends PipelineError {
  public override readonly name = ERROR_NAMES.videoTooLarge;
}

/** Longer than the configured maximum duration. */
export class VideoTooLongError extends PipelineError {
  public override readonly name = ERROR_NAMES.videoTooLong;
}

/** Truncated, inconsistent or impossible header data: boxes past the end, tables declaring more entries than they hold. */
export class CorruptVideoError extends PipelineError {
  public override readonly name = ERROR_NAMES.corruptVideo;
}

/** The container holds no video track (audio only, or empty). */
export class NoVideoStreamError extends PipelineError {
  public override readonly name = ERROR_NAMES.noVideoStream;
}
