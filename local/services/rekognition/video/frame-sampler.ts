import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FFMPEG_PATH, FFPROBE_PATH, runMediaTool } from '../../../media/ffmpeg';

/** Rekognition Video's VideoMetadata, read with ffprobe. */
export interface VideoMetadata {
  Codec: string;
  DurationMillis: number;
  Format: string;
  FrameRate: number;
  FrameHeight: number;
  FrameWidth: number;
  ColorRange: 'FULL' | 'LIMITED';
}

/** One sampled frame: a JPEG and the time it shows. */
export interface SampledFrame {
  timestampMillis: number;
  jpeg: Buffer;
}

/** A video's metadata and its sampled frames, oldest first. */
export interface SampledVideo {
  metadata: VideoMetadata;
  frames: SampledFrame[];
  /** Seconds between two frames. */
  intervalSeconds: number;
}

/** How densely to sample. */
export interface SamplingLimits {
  /** Seconds between frames (default 1). */
  everySeconds: number;
  /** At most this many frames; a longer video is sampled more sparsely (default 600). */
  maxFrames: number;
  /** Longest side of a sampled frame (the local models look at far fewer pixels than 720p). */
  maxSide: number;
}

export const DEFAULT_SAMPLING: SamplingLimits = Object.freeze({ everySeconds: 1, maxFrames: 600, maxSide: 960 });

/** The sampling interval a video gets: the configured one, or wider so that at most maxFrames are taken. */
export function samplingInterval(durationSeconds: number, limits: SamplingLimits): number {
  return Math.max(limits.everySeconds, durationSeconds / limits.maxFrames);
}

/**
 * Reads a video's metadata and samples its frames with ffmpeg (from npm): one frame every `samplingInterval` seconds,
 * scaled down, as JPEGs with their timestamps. The bytes go through a temporary file (MP4's index may sit at the end).
 * @throws MediaToolError when ffprobe or ffmpeg cannot read the video (corrupt, no video stream).
 */
export async function sampleFrames(video: Buffer, limits: SamplingLimits = DEFAULT_SAMPLING): Promise<SampledVideo> {
  const work = await mkdtemp(join(tmpdir(), 'sip-rekognition-video-'));
  try {
    const input = join(work, 'input');
    await writeFile(input, video);
    const metadata = await probe(input);
    const interval = samplingInterval(metadata.DurationMillis / 1000, limits);
    const side = limits.maxSide;
    await runMediaTool(FFMPEG_PATH, [
      '-hide_banner',
      '-loglevel',
      'error',
      '-i',
      input,
      '-an',
      // fps picks the frame nearest each interval mark from t = 0; scale fits the longest side, keeping the aspect ratio.
      '-vf',
      `fps=1/${interval},scale=w='if(gte(iw,ih),min(${side},iw),-2)':h='if(gte(iw,ih),-2,min(${side},ih))'`,
      '-frames:v',
      String(limits.maxFrames),
      '-q:v',
      '4',
      join(work, 'frame-%06d.jpg'),
    ]);
    const files = (await readdir(work)).filter((file) => file.startsWith('frame-')).sort();
    const frames = await Promise.all(
      files.map(async (file, index) => ({
        timestampMillis: Math.min(Math.round(index * interval * 1000), metadata.DurationMillis),
        jpeg: await readFile(join(work, file)),
      })),
    );
    return { metadata, frames, intervalSeconds: interval };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function probe(path: string): Promise<VideoMetadata> {
  const text = await runMediaTool(FFPROBE_PATH, [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=codec_name,width,height,avg_frame_rate,color_range:format=format_name,duration',
    '-of',
    'json',
    path,
  ]);
  const parsed = JSON.parse(text.toString('utf8')) as {
    streams?: Array<{ codec_name?: string; width?: number; height?: number; avg_frame_rate?: string; color_range?: string }>;
    format?: { format_name?: string; duration?: string };
  };
  const stream = parsed.streams?.[0];
  if (!stream) throw new NoVideoStreamError('the file has no video stream');
  const [num, den] = (stream.avg_frame_rate ?? '0/1').split('/').map(Number);
  return {
    Codec: stream.codec_name ?? 'unknown',
    DurationMillis: Math.round(Number(parsed.format?.duration ?? 0) * 1000),
    // Rekognition names MP4/MOV containers "QuickTime / MOV"; other containers keep ffprobe's name.
    Format: parsed.format?.format_name?.startsWith('mov,mp4') ? 'QuickTime / MOV' : (parsed.format?.format_name ?? 'unknown'),
    FrameRate: den ? Math.round((num / den) * 1000) / 1000 : 0,
    FrameHeight: stream.height ?? 0,
    FrameWidth: stream.width ?? 0,
    ColorRange: stream.color_range === 'pc' ? 'FULL' : 'LIMITED',
  };
}

/** The video has no video stream to sample. */
export class NoVideoStreamError extends Error {
  override readonly name = 'NoVideoStreamError';
}
