import { spawn } from 'node:child_process';

/**
 * ffmpeg and ffprobe as `npm ci` installs them: @ffmpeg-installer/ffmpeg and @ffprobe-installer/ffprobe ship static
 * binaries for this platform inside npm packages (optional dependencies per OS/CPU), so nothing is downloaded at run time.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const FFMPEG_PATH: string = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const FFPROBE_PATH: string = (require('@ffprobe-installer/ffprobe') as { path: string }).path;

/** A tool run that failed: its exit code and the end of its stderr. */
export class MediaToolError extends Error {
  override readonly name = 'MediaToolError';
  constructor(
    readonly tool: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`${tool} exited with ${exitCode}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
}

/** Options of one tool run. */
export interface RunOptions {
  /** Kills the process after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Keeps at most this much stdout (default 64 MiB); more fails the run. */
  maxStdoutBytes?: number;
}

/**
 * Runs ffmpeg or ffprobe with arguments (never a shell), collecting stdout and the end of stderr.
 * @throws MediaToolError when it exits non-zero, times out or writes more than maxStdoutBytes.
 */
export function runMediaTool(path: string, args: readonly string[], options: RunOptions = {}): Promise<Buffer> {
  const tool = path.endsWith('ffprobe') ? 'ffprobe' : 'ffmpeg';
  const maxStdout = options.maxStdoutBytes ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let failure: MediaToolError | null = null;
    const timer = setTimeout(() => {
      failure = new MediaToolError(tool, null, `timed out after ${options.timeoutMs ?? 600_000} ms`);
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 600_000);
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxStdout) {
        failure ??= new MediaToolError(tool, null, `wrote more than ${maxStdout} bytes`);
        child.kill('SIGKILL');
      } else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString('utf8')).slice(-8192);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new MediaToolError(tool, null, error.message));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (failure) reject(failure);
      else if (code !== 0) reject(new MediaToolError(tool, code, err));
      else resolve(Buffer.concat(out));
    });
  });
}
