import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

jest.setTimeout(180_000);

const REPO = join(__dirname, '..', '..', '..', '..');
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/**
 * Runs a support script in a child process and resolves when that process has ended by itself (no kill, no
 * process.exit); a process kept alive by something left open never resolves, and the test fails at its time limit.
 */
function runToNaturalExit(script: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  children.push(child);
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('stopping the local stack', () => {
  it('releases everything, so the process ends by itself even while an execution waits on a task token', async () => {
    // Prepare, Act: a child starts a stack, holds an upload's run in moderation review (a task token with a 7-day
    // timeout, in an execution with an 8-day one), stops the stack and returns.
    const result = await runToNaturalExit(join(__dirname, '../support/stop-while-waiting.ts'));

    // Assess: the run was held when the stack stopped, and the process then ended on its own, cleanly.
    expect(result.output).toMatch(/^held RUNNING$/m);
    expect(result.output).toMatch(/^stopped$/m);
    expect(result.code).toBe(0);
  });
});
