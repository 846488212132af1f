import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, posix } from 'node:path';
import { FFMPEG_PATH, FFPROBE_PATH, runMediaTool } from '../../media/ffmpeg';
import type { PlannedJob, PlannedOutput } from './job-settings';

/** Where the transcoder reads the input and writes the outputs: the local S3 store. */
export interface TranscodeStorage {
  getObjectBytes(bucket: string, key: string): Promise<Buffer>;
  putObject(bucket: string, key: string, body: Buffer, options?: { contentType?: string }): Promise<unknown>;
}

/** What a finished job reports per output (MediaConvert's OutputGroupDetails). */
export interface TranscodeResult {
  durationMs: number;
  outputs: Array<{ width?: number; height?: number; files: string[] }>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.jpg': 'image/jpeg',
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
};
const contentType = (name: string): string => CONTENT_TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream';

function h264Args(output: { maxBitrate?: number; audio: boolean }): string[] {
  // veryfast x264 keeps a 720p transcode faster than real time on two cores; CRF 23 with MediaConvert's bitrate ceiling.
  const rate = output.maxBitrate ? ['-maxrate', String(output.maxBitrate), '-bufsize', String(output.maxBitrate * 2)] : [];
  const audio = output.audio ? ['-map', '0:a:0?', '-c:a', 'aac', '-b:a', '96k', '-ac', '2', '-ar', '48000'] : ['-an'];
  return ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', ...rate, '-pix_fmt', 'yuv420p', ...audio];
}

const scale = (output: { width?: number; height?: number }): string =>
  output.width && output.height ? `scale=${output.width}:${output.height}` : 'null';

/**
 * Runs one job with ffmpeg: the input is decoded once and split to every output (renditions, HLS variants, frame
 * captures); the files go to the local S3 store under the names MediaConvert gives them
 * (`<destination><NameModifier>.mp4`, `<destination><NameModifier>.<7-digit index>.jpg`, HLS playlists and segments).
 * @throws MediaToolError when ffmpeg fails (a corrupt input), which the job reports as ERROR.
 */
export async function runTranscode(job: PlannedJob, storage: TranscodeStorage): Promise<TranscodeResult> {
  const work = await mkdtemp(join(tmpdir(), 'sip-mediaconvert-'));
  try {
    const inputPath = join(work, `input${posix.extname(job.input.key) || '.bin'}`);
    await writeFile(inputPath, await storage.getObjectBytes(job.input.bucket, job.input.key));
    const probe = JSON.parse(
      (await runMediaTool(FFPROBE_PATH, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'json', inputPath])).toString('utf8'),
    ) as { format?: { duration?: string } };
    const clip = job.input.clip;
    const fullSeconds = Number(probe.format?.duration ?? 0);
    const seconds = clip ? Math.max(0, Math.min(fullSeconds, clip.endSeconds) - clip.startSeconds) : fullSeconds;

    const n = job.outputs.length;
    const filters = [`[0:v]split=${n}${job.outputs.map((_o, i) => `[s${i}]`).join('')}`];
    const args: string[] = [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      ...(clip ? ['-ss', String(clip.startSeconds), '-t', String(seconds)] : []),
      '-i',
      inputPath,
    ];
    const outputArgs: string[] = [];
    job.outputs.forEach(({ output }, i) => {
      const dir = join(work, `o${i}`);
      if (output.kind === 'frames') {
        filters.push(`[s${i}]fps=1/${output.everySeconds},${scale(output)}[v${i}]`);
        const q = Math.round(31 - (Math.min(100, Math.max(1, output.quality)) / 100) * 29);
        outputArgs.push(
          '-map',
          `[v${i}]`,
          '-frames:v',
          String(output.maxCaptures),
          '-q:v',
          String(q),
          '-start_number',
          '0',
          join(dir, 'frame.%07d.jpg'),
        );
      } else if (output.kind === 'mp4') {
        filters.push(`[s${i}]${scale(output)}[v${i}]`);
        outputArgs.push('-map', `[v${i}]`, ...h264Args(output), '-movflags', '+faststart', join(dir, 'out.mp4'));
      } else {
        filters.push(`[s${i}]${scale(output)}[v${i}]`);
        const name = posix.basename(output.variantName);
        outputArgs.push(
          '-map',
          `[v${i}]`,
          ...h264Args(output),
          // A key frame at every segment boundary, as MediaConvert aligns GOPs with segments, so each segment starts
          // one (else x264's 250-frame GOP makes a short video a single segment and seeking fetches all of it).
          '-force_key_frames',
          `expr:gte(t,n_forced*${output.segmentSeconds})`,
          '-f',
          'hls',
          '-hls_time',
          String(output.segmentSeconds),
          '-hls_playlist_type',
          'vod',
          '-hls_segment_filename',
          join(dir, `${name}_%05d.ts`),
          join(dir, `${name}.m3u8`),
        );
      }
    });
    const { mkdir } = await import('node:fs/promises');
    await Promise.all(job.outputs.map((_o, i) => mkdir(join(work, `o${i}`))));
    await runMediaTool(FFMPEG_PATH, [...args, '-filter_complex', filters.join(';'), ...outputArgs]);

    const outputs: TranscodeResult['outputs'] = [];
    for (const [i, { bucket, output }] of job.outputs.entries()) {
      const files = (await readdir(join(work, `o${i}`))).sort();
      const keys: string[] = [];
      for (const file of files) {
        const key = keyFor(output, file);
        await storage.putObject(bucket, key, await readFile(join(work, `o${i}`, file)), { contentType: contentType(file) });
        keys.push(key);
      }
      outputs.push({ width: output.width, height: output.height, files: keys });
    }
    for (const master of job.hlsMasters) {
      const lines = ['#EXTM3U', '#EXT-X-VERSION:3'];
      for (const variant of master.variants) {
        const planned = job.outputs
          .map((o) => o.output)
          .find((o): o is Extract<PlannedOutput, { kind: 'hls' }> => o.kind === 'hls' && o.variantName === variant);
        lines.push(
          `#EXT-X-STREAM-INF:BANDWIDTH=${planned?.maxBitrate ?? 2_000_000}${planned?.width ? `,RESOLUTION=${planned.width}x${planned.height}` : ''}`,
          `${basename(variant)}.m3u8`,
        );
      }
      await storage.putObject(master.bucket, master.key, Buffer.from(`${lines.join('\n')}\n`), { contentType: contentType(master.key) });
    }
    return { durationMs: Math.round(seconds * 1000), outputs };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function keyFor(output: PlannedOutput, file: string): string {
  if (output.kind === 'mp4') return output.path;
  if (output.kind === 'frames') return `${output.pathPrefix}${file.slice('frame'.length)}`;
  return `${posix.dirname(output.variantName)}/${file}`;
}
