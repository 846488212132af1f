import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './paths';

/** Raised when a measuring child process fails; carries its stderr tail. */
export class ChildRunError extends Error {
  override name = 'ChildRunError';
}

/**
 * Runs a TypeScript entry in a fresh Node process (same Node as this one, via tsx) and returns the JSON it
 * writes to the file named by its last argument. A fresh process per contender keeps peak RSS and caches clean.
 * @throws ChildRunError when the child exits non-zero, times out or writes no result.
 */
export async function runTsChild<T>(entry: string, args: string[], timeoutMs: number, env: NodeJS.ProcessEnv = {}): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sip-bench-child-'));
  const resultFile = path.join(dir, 'result.json');
  try {
    const stderr = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args, resultFile], {
        cwd: REPO_ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let tail = '';
      child.stderr.on('data', (chunk: Buffer) => {
        tail = (tail + chunk.toString()).slice(-4000);
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve(tail);
        else
          reject(
            new ChildRunError(`${path.basename(entry)} ${args.join(' ').slice(0, 200)} exited ${code ?? signal}: ${tail.slice(-1500)}`),
          );
      });
    });
    try {
      return JSON.parse(await readFile(resultFile, 'utf8')) as T;
    } catch {
      throw new ChildRunError(`${path.basename(entry)} wrote no result: ${stderr.slice(-1500)}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
