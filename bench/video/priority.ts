import { readFileSync, writeFileSync } from 'node:fs';

const AUTOGROUP = '/proc/self/autogroup';

/**
 * The nice value of this process's autogroup, or null where there is none (not Linux, autogroups off). Linux puts each
 * session in an autogroup and shares the CPU fairly between autogroups; a process's own nice value only orders it
 * within its group. On a machine shared by other sessions, a bench in its own session gets about 2 / (busy sessions)
 * cores whatever its nice value; only the autogroup's weight changes that.
 */
export function autogroupNice(): number | null {
  try {
    const match = /nice (-?\d+)/.exec(readFileSync(AUTOGROUP, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Gives this session's autogroup the weight of `nice` (root or CAP_SYS_NICE) and returns how to put the old one back,
 * so the bench measures on the machine's cores rather than on its share of them among other sessions.
 * @throws Error when the kernel has no autogroups or refuses the change
 */
export function raiseAutogroupPriority(nice = -15): () => void {
  const before = autogroupNice();
  if (before === null) throw new Error(`${AUTOGROUP} is missing: this kernel has no autogroups to raise`);
  writeFileSync(AUTOGROUP, String(nice));
  return () => writeFileSync(AUTOGROUP, String(before));
}
