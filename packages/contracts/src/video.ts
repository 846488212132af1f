/**
 * Video uploads (issue 14): the containers and codecs the pipeline accepts, and the ONE set of default limits that
 * ProbeVideo enforces from the container header before any paid call (template parameters override them).
 */

/** Accepted containers, by the name sniffVideoType gives them, with the name people read. AVI is recognised but refused. */
export const VIDEO_CONTAINERS = Object.freeze({
  mp4: 'MP4',
  mov: 'QuickTime MOV',
  webm: 'WebM',
  matroska: 'Matroska (MKV)',
});

export type VideoContainer = keyof typeof VIDEO_CONTAINERS;

/** Accepted video codecs, by the name ProbeVideo gives them, with the name people read. */
export const VIDEO_CODECS = Object.freeze({
  h264: 'H.264/AVC',
  hevc: 'H.265/HEVC',
  vp8: 'VP8',
  vp9: 'VP9',
  mpeg4: 'MPEG-4 Part 2',
});

export type VideoCodec = keyof typeof VIDEO_CODECS;

/** Which codecs each container may carry (WebM is VP8/VP9 by its specification). */
export const VIDEO_CODECS_BY_CONTAINER: Readonly<Record<VideoContainer, readonly VideoCodec[]>> = Object.freeze({
  mp4: ['h264', 'hevc', 'mpeg4', 'vp9'],
  mov: ['h264', 'hevc', 'mpeg4'],
  webm: ['vp8', 'vp9'],
  matroska: ['h264', 'hevc', 'mpeg4', 'vp8', 'vp9'],
});

/** The limits ProbeVideo checks from the header, and the analysis bound. */
export interface VideoLimits {
  /** Larger uploads are refused (VideoTooLargeError). */
  maxBytes: number;
  /** Longer videos are refused (VideoTooLongError). */
  maxDurationSeconds: number;
  /** Frames with more pixels are refused (VideoTooLargeError). */
  maxPixels: number;
  /** Narrower or lower frames are refused (CorruptVideoError: no encoder makes them). */
  minSide: number;
  /** Higher frame rates are refused (CorruptVideoError). */
  maxFramesPerSecond: number;
  /** Analysis (Rekognition Video, billed per minute) covers at most this many minutes from the start. */
  maxAnalysisMinutes: number;
}

/** The defaults; template.yaml's video parameters default to the same values (a template test checks it). */
export const DEFAULT_VIDEO_LIMITS: Readonly<VideoLimits> = Object.freeze({
  maxBytes: 2 * 1024 ** 3,
  maxDurationSeconds: 3600,
  // 4096 x 2160 (DCI 4K); MediaConvert's AVC input limit is above this.
  maxPixels: 4096 * 2160,
  minSide: 16,
  maxFramesPerSecond: 120,
  maxAnalysisMinutes: 10,
});

/** The rendition, thumbnail and poster sizes the plan uses. */
export const VIDEO_OUTPUT_SIZES = Object.freeze({
  /** The MP4 rendition fits in this box (720p), never upscaled. */
  renditionMaxWidth: 1280,
  renditionMaxHeight: 720,
  /** Thumbnails are this wide (height follows the aspect ratio). */
  thumbnailWidth: 160,
  /** At most this many thumbnails (one every ceil(duration / this) seconds). */
  maxThumbnails: 60,
  /** Thumbnails per sprite row. */
  spriteColumns: 10,
  /** The poster is taken at this share of the duration (a first frame is often black). */
  posterAt: 0.1,
  /** The analysis clip of a long video fits in this box. */
  analysisClipMaxHeight: 480,
});
