import { execFile } from 'node:child_process';
import { join } from 'node:path';

const TSX_CLI = join(__dirname, '../../../node_modules/tsx/dist/cli.mjs');

/** What resize-child.ts reports about one resize in its own process. */
export interface ChildResize {
  kind: 'succeeded' | 'failed' | 'hang';
  name?: string;
  elapsedMs: number;
  baselineKb: number;
  peakKb: number;
}

/** Resizes `file` in a fresh Node process (the same Node that runs the tests) and returns its report. @throws Error when the child dies. */
export function resizeInChildProcess(file: string, timeoutMs = 120_000): Promise<ChildResize> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [TSX_CLI, join(__dirname, 'resize-child.ts'), file], { timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`resize child failed (${error.signal ?? error.code}): ${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ChildResize);
    });
  });
}
