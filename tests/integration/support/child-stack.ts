import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..', '..');

/** `npm start` as a child process (node --import tsx, so a SIGKILL reaches the stack itself, not a wrapper). */
export interface ChildStack {
  child: ChildProcess;
  edgeUrl: string;
  output: () => string;
}

/**
 * Starts local/cli/start.ts in a child process on a free edge port with the given data folder and resolves with its
 * edge URL once the banner is printed.
 * @throws Error when the child exits or prints no banner within the timeout.
 */
export function startChildStack(dataDir: string, env: Record<string, string> = {}, timeoutMs = 120_000): Promise<ChildStack> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'local/cli/start.ts'), '--quiet'], {
    cwd: REPO,
    env: { ...process.env, LOCAL_DATA_DIR: dataDir, EDGE_PORT: '0', CONSOLE_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner from the child stack:\n${out}`)), timeoutMs);
    const poll = setInterval(() => {
      const match = /Edge endpoint:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve({ child, edgeUrl: match[1], output: () => out });
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`child stack exited with ${code}:\n${out}`));
    });
  });
}

/** Kills the child with SIGKILL, as `kill -9` would, and waits for it to be gone. */
export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
