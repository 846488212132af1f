import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireFolderLock, DataFolderInUseError, isAlive } from '../../folder-lock';

const lockIn = (dir: string) => join(dir, 'dynamodb.lock');

describe('acquireFolderLock', () => {
  it('refuses a folder whose lock names a running process', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'sip-lock-'));
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    writeFileSync(lockIn(dir), String(sleeper.pid));

    // Act / Assess
    try {
      await expect(acquireFolderLock(lockIn(dir))).rejects.toBeInstanceOf(DataFolderInUseError);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('takes over the lock of a killed process that nobody has reaped yet', async () => {
    // Prepare: a child killed with SIGKILL stays a zombie until its parent waits for it.
    const dir = mkdtempSync(join(tmpdir(), 'sip-lock-'));
    const child = spawn('sh', ['-c', 'sleep 60 & echo $!; wait'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const grandchildPid = Number(await new Promise<string>((resolve) => child.stdout!.once('data', (d) => resolve(String(d)))));
    process.kill(grandchildPid, 'SIGSTOP');
    child.kill('SIGSTOP'); // the shell cannot reap its child while stopped
    process.kill(grandchildPid, 'SIGKILL');
    await waitUntil(() => !isAlive(grandchildPid));
    writeFileSync(lockIn(dir), String(grandchildPid));

    // Act
    const release = await acquireFolderLock(lockIn(dir));

    // Assess
    expect(typeof release).toBe('function');
    await release();
    child.kill('SIGKILL');
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
