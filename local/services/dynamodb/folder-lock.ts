import { readFileSync } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';

/** Another live process (or this one) already serves the folder; LevelDB would crash the process instead of saying so. */
export class DataFolderInUseError extends Error {
  name = 'DataFolderInUseError';
}

const heldHere = new Set<string>();

/**
 * Takes <folder>.lock for this process, replacing a lock left by a process that is gone.
 * @throws DataFolderInUseError when a live process holds it.
 */
export async function acquireFolderLock(lockPath: string): Promise<() => Promise<void>> {
  if (heldHere.has(lockPath)) throw new DataFolderInUseError(`${lockPath} is already open in this process`);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      heldHere.add(lockPath);
      return async () => {
        heldHere.delete(lockPath);
        await unlink(lockPath).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(await readFile(lockPath, 'utf8').catch(() => ''));
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new DataFolderInUseError(
          `${lockPath} is held by process ${owner}: another local stack is using this data folder (stop it or set LOCAL_DATA_DIR)`,
        );
      }
      await unlink(lockPath).catch(() => undefined);
    }
  }
  throw new DataFolderInUseError(`could not take ${lockPath}`);
}

/** A process counts as alive while it can still run: a zombie (killed, not yet reaped) holds no folder. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    // /proc/<pid>/stat: "pid (comm) state …"; comm may hold spaces or parentheses, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false; // no /proc (macOS): kill(pid, 0) is all there is
  }
}
