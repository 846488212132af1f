import {
  sniffVideoType,
  VIDEO_CODECS,
  VIDEO_CODECS_BY_CONTAINER,
  VIDEO_CONTAINERS,
  VIDEO_MAGIC_BYTES,
  type VideoContainer,
  type VideoFacts,
  type VideoLimits,
} from '@smart-image-pipeline/contracts';
import type { ContainerHeader } from './container';
import { CorruptVideoError, NoVideoStreamError, UnsupportedVideoFormatError, VideoTooLargeError, VideoTooLongError } from './errors';
import { readIsoBmffHeader } from './iso-bmff';
import { readMatroskaHeader } from './matroska';
import { BudgetedReader, type RangeSource, type ReadBudget } from './range-reader';

const ACCEPTED = `${Object.values(VIDEO_CONTAINERS).join(', ')} with ${Object.values(VIDEO_CODECS).join(', ')} video`;

/**
 * Reads a video's container header with ranged reads (bounded bytes and requests) and checks it against the limits:
 * accepted container and codec, a video track, size, pixels, duration and frame rate. Nothing paid runs before this.
 * @throws UnsupportedVideoFormatError, VideoTooLargeError, VideoTooLongError, CorruptVideoError, NoVideoStreamError
 */
export async function probeVideo(source: RangeSource, limits: VideoLimits, budget?: ReadBudget): Promise<VideoFacts> {
  if (source.size === 0) throw new CorruptVideoError('The object is empty');
  if (source.size > limits.maxBytes) throw new VideoTooLargeError(`${source.size} bytes exceeds the limit of ${limits.maxBytes} bytes`);
  const reader = new BudgetedReader(source, budget);
  const sniffed = sniffVideoType(await reader.read(0, Math.min(VIDEO_MAGIC_BYTES, source.size), 'file signature'));
  if (!sniffed) throw new UnsupportedVideoFormatError(`The bytes are not a video container the pipeline accepts (${ACCEPTED})`);
  if (sniffed.container === 'avi') throw new UnsupportedVideoFormatError(`AVI is not accepted (${ACCEPTED}); re-mux it as MP4`);
  const container = sniffed.container as VideoContainer;

  const header: ContainerHeader =
    container === 'mp4' || container === 'mov' ? await readIsoBmffHeader(reader) : await readMatroskaHeader(reader);
  const video = header.tracks.find((track) => track.kind === 'video');
  if (!video)
    throw new NoVideoStreamError(
      `The ${VIDEO_CONTAINERS[container]} file has no video track (${header.tracks.length} other track${header.tracks.length === 1 ? '' : 's'})`,
    );
  const codec = video.codec;
  if (!codec || !(VIDEO_CODECS_BY_CONTAINER[container] as readonly string[]).includes(codec)) {
    throw new UnsupportedVideoFormatError(
      `${codec ?? video.codecId} video in ${VIDEO_CONTAINERS[container]} is not accepted (${ACCEPTED})`,
    );
  }
  const storedWidth = video.width ?? 0;
  const storedHeight = video.height ?? 0;
  if (Math.min(storedWidth, storedHeight) < limits.minSide)
    throw new CorruptVideoError(`The video track declares a ${storedWidth}x${storedHeight} frame`);
  if (storedWidth * storedHeight > limits.maxPixels) {
    throw new VideoTooLargeError(`${storedWidth}x${storedHeight} frames exceed the limit of ${limits.maxPixels} pixels`);
  }
  const duration = header.durationSeconds ?? video.durationSeconds ?? null;
  if (duration === null || !(duration > 0)) throw new CorruptVideoError('The header gives no duration');
  if (duration > limits.maxDurationSeconds)
    throw new VideoTooLongError(`${formatDuration(duration)} exceeds the limit of ${formatDuration(limits.maxDurationSeconds)}`);
  const frameRate = video.frameRate ?? null;
  if (frameRate !== null && frameRate > limits.maxFramesPerSecond)
    throw new CorruptVideoError(`${Math.round(frameRate)} frames per second exceeds ${limits.maxFramesPerSecond}`);

  const rotation = video.rotation ?? 0;
  const swapped = rotation === 90 || rotation === 270;
  return {
    container,
    contentType: sniffed.contentType,
    bytes: source.size,
    durationSeconds: round(duration, 3),
    width: swapped ? storedHeight : storedWidth,
    height: swapped ? storedWidth : storedHeight,
    rotation,
    frameRate: frameRate === null ? null : round(frameRate, 3),
    videoCodec: codec,
    audioCodec: header.tracks.find((track) => track.kind === 'audio')?.codec ?? null,
    streams: header.tracks.map(({ rotation: _rotation, ...track }) => ({
      ...track,
      ...(track.frameRate ? { frameRate: round(track.frameRate, 3) } : {}),
    })),
    headerBytesRead: reader.bytesRead,
  };
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** 3725 -> "1 h 2 min 5 s". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const parts = [
    [Math.floor(s / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'min'],
    [s % 60, 's'],
  ].filter(([value]) => value !== 0);
  return parts.length === 0 ? '0 s' : parts.map(([value, unit]) => `${value} ${unit}`).join(' ');
}
