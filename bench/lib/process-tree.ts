import { readdirSync, readFileSync } from 'node:fs';

/** Linux's clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on every Linux port in use). */
const TICKS_PER_SECOND = 100;

interface ProcessFacts {
  parent: number;
  rssKb: number;
  /** utime + stime + cutime + cstime: its own CPU time and that of its children it has waited for. */
  cpuTicks: number;
}

function readProcesses(): Map<number, ProcessFacts> {
  const processes = new Map<number, ProcessFacts>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      processes.set(Number(entry), {
        parent: Number(fields[1]),
        rssKb: Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0),
        cpuTicks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]),
      });
    } catch {
      // The process ended while we looked.
    }
  }
  return processes;
}

function inTree(processes: Map<number, ProcessFacts>, root: number): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, facts] of processes) children.set(facts.parent, [...(children.get(facts.parent) ?? []), pid]);
  const tree: number[] = [];
  const visit = (pid: number) => {
    tree.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return tree;
}

/** Every process under `root` (children, their children, …), not `root` itself. */
export function descendantPids(root: number): number[] {
  return inTree(readProcesses(), root).slice(1);
}

/**
 * This process and its descendants (ffmpeg runs, vision workers), read from /proc: resident memory now, and CPU time
 * so far. CPU time counts the live processes and every child already reaped (a finished ffmpeg), so the difference of
 * two readings is the CPU the tree spent in between, whatever else the machine was running.
 */
export function processTree(root = process.pid): { rssMb: number; cpuSeconds: number } {
  const processes = readProcesses();
  let rssKb = 0;
  let ticks = 0;
  for (const pid of inTree(processes, root)) {
    const facts = processes.get(pid);
    if (!facts) continue;
    rssKb += facts.rssKb;
    ticks += facts.cpuTicks;
  }
  return { rssMb: rssKb / 1024, cpuSeconds: ticks / TICKS_PER_SECOND };
}
