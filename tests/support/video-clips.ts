/**
 * Test videos made by ffmpeg (the one `npm ci` installs) at test time, so no binary is committed. Each distinct clip
 * is made once per machine and cached in the temp folder under a name derived from its recipe.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FFMPEG_PATH, runMediaTool } from '../../local/media/ffmpeg';

/** What to make: a moving test pattern (and a tone), in one container and codec. */
export interface ClipRecipe {
  seconds: number;
  width?: number;
  height?: number;
  fps?: number;
  container?: 'mp4' | 'mov' | 'webm' | 'mkv' | 'avi';
  codec?: 'h264' | 'hevc' | 'vp8' | 'vp9' | 'mpeg4';
  audio?: boolean;
  /** Only an audio track (no video). */
  audioOnly?: boolean;
  /** Display rotation written into the container (MP4/MOV). */
  rotate?: 90 | 180 | 270;
  /** A lavfi source other than the moving test pattern, e.g. "color=c=black". */
  source?: string;
  /** A slideshow of still images instead of a generated pattern: each file shown for its seconds, letterboxed. */
  slides?: Array<{ path: string; seconds: number }>;
}

export const ENCODERS = {
  h264: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
  hevc: ['-c:v', 'libx265', '-preset', 'ultrafast', '-tag:v', 'hvc1'],
  vp8: ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '500k'],
  vp9: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '500k'],
  mpeg4: ['-c:v', 'mpeg4'],
};

const CLIP_DIR = join(tmpdir(), 'sip-test-clips');

/** ffmpeg input: a 440 Hz tone of `seconds`. */
export const toneInput = (seconds: number) => ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`];

/** ffmpeg filter: fits a picture inside `width` x `height`, centred on black bars, square pixels. */
export const letterbox = (width: number, height: number) =>
  `scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,setsar=1`;

/**
 * Returns the clip ffmpeg makes from `ffmpegArgs()` (every argument but the output), made once per machine: cached in
 * `dir` under a name derived from `recipe`, written to a partial file and renamed, so a killed run leaves no half clip.
 */
export async function cachedClip(
  where: { dir: string; recipe: unknown; extension: string; timeoutMs?: number },
  ffmpegArgs: () => string[] | Promise<string[]>,
): Promise<string> {
  const name = createHash('sha256').update(JSON.stringify(where.recipe)).digest('hex').slice(0, 16);
  const path = join(where.dir, `${name}.${where.extension}`);
  if (existsSync(path)) return path;
  mkdirSync(where.dir, { recursive: true });
  const partial = `${path}.partial.${process.pid}.${where.extension}`;
  await runMediaTool(FFMPEG_PATH, ['-hide_banner', '-loglevel', 'error', '-y', ...(await ffmpegArgs()), partial], {
    timeoutMs: where.timeoutMs ?? 300_000,
  });
  renameSync(partial, path);
  return path;
}

/** Makes (or reuses) the clip and returns its path. */
export async function makeClip(recipe: ClipRecipe): Promise<string> {
  const {
    seconds,
    width = 320,
    height = 240,
    fps = 25,
    container = 'mp4',
    codec = container === 'webm' ? 'vp9' : 'h264',
    audio = false,
  } = recipe;
  return cachedClip({ dir: CLIP_DIR, recipe, extension: container }, async () => {
    // ffmpeg writes the rotation matrix only when copying streams, so rotate a copy of the upright clip.
    if (recipe.rotate)
      return ['-i', await makeClip({ ...recipe, rotate: undefined }), '-c', 'copy', '-metadata:s:v:0', `rotate=${recipe.rotate}`];
    const video = recipe.audioOnly
      ? []
      : recipe.slides
        ? slideshow(recipe.slides, width, height, fps)
        : ['-f', 'lavfi', '-i', `${recipe.source ?? 'testsrc2'}=size=${width}x${height}:rate=${fps}:duration=${seconds}`];
    const withAudio = audio || recipe.audioOnly;
    const audioCodec = withAudio ? (container === 'webm' ? ['-c:a', 'libopus'] : ['-c:a', 'aac']) : [];
    return [
      ...video,
      ...(withAudio ? toneInput(seconds) : []),
      ...(recipe.audioOnly ? [] : ENCODERS[codec]),
      ...audioCodec,
      '-t',
      String(seconds),
    ];
  });
}

// Each still looped for its seconds, fitted into the frame, then the pieces joined in order.
function slideshow(slides: NonNullable<ClipRecipe['slides']>, width: number, height: number, fps: number): string[] {
  const inputs = slides.flatMap(({ path, seconds }) => ['-loop', '1', '-t', String(seconds), '-i', path]);
  const fit = slides.map((_slide, i) => `[${i}:v]${letterbox(width, height)},fps=${fps},format=yuv420p[s${i}]`);
  const join = `${slides.map((_slide, i) => `[s${i}]`).join('')}concat=n=${slides.length}:v=1:a=0`;
  return [...inputs, '-filter_complex', [...fit, join].join(';')];
}

/** The clip's bytes. */
export async function clipBytes(recipe: ClipRecipe): Promise<Buffer> {
  return readFileSync(await makeClip(recipe));
}

/** 8 s of 720p: 4 s of tests/fixtures/images/flowers.jpeg, then 4 s of ai-body.jpg (a person; the one flagged still). */
export function flowersThenPersonClip(): Promise<string> {
  const fixtures = join(__dirname, '..', 'fixtures', 'images');
  return makeClip({
    seconds: 8,
    width: 1280,
    height: 720,
    slides: [
      { path: join(fixtures, 'flowers.jpeg'), seconds: 4 },
      { path: join(fixtures, 'ai-body.jpg'), seconds: 4 },
    ],
  });
}
