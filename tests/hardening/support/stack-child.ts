import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PipelineEndpoints } from './pipeline-client';

const ROOT = join(__dirname, '../../..');
const TSX_CLI = join(ROOT, 'node_modules/tsx/dist/cli.mjs');

/** A local stack running in a child process group that this test started. */
export interface StackChild {
  endpoints: PipelineEndpoints & { recovered: { executions: number; uploads: number } };
  pid: number;
  /** The stack process's own pid (tsx runs it in a child of the group leader). */
  stackPid: number;
  /** Peak resident memory of the stack process so far, in KB (VmHWM). */
  peakRssKb(): number;
  /** SIGKILL to the whole group: no handler runs, nothing is flushed. */
  kill9(): Promise<void>;
  /** SIGTERM and wait: the stack stops cleanly. */
  stop(): Promise<void>;
  stderr(): string;
}

/**
 * Starts tests/hardening/support/stack-main.ts with `env` on top of this process's environment and resolves once it
 * serves. @throws Error with the child's stderr when it exits or does not report ready within `timeoutMs`.
 */
export function startStackChild(env: Record<string, string>, timeoutMs = 180_000): Promise<StackChild> {
  const child: ChildProcess = spawn(process.execPath, [TSX_CLI, join(__dirname, 'stack-main.ts')], {
    cwd: ROOT,
    env: { ...process.env, EDGE_PORT: '0', ...env },
    detached: true, // its own process group, so kill9 reaches tsx's child too
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  return new Promise<StackChild>((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup(child.pid!);
      reject(new Error(`stack child not ready after ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    const early = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      reject(new Error(`stack child exited (${signal ?? code}) before it was ready:\n${stderr}`));
    };
    child.once('exit', early);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((entry) => entry.startsWith('{"ready"'));
      if (!line) return;
      clearTimeout(timer);
      child.off('exit', early);
      const { ready } = JSON.parse(line) as { ready: StackChild['endpoints'] & { pid: number } };
      resolve({
        endpoints: ready,
        pid: child.pid!,
        stackPid: ready.pid,
        peakRssKb: () => peakRssKb(ready.pid),
        kill9: async () => {
          killGroup(child.pid!, 'SIGKILL');
          await exited;
          // The group leader (tsx) can be reaped before the stack process it ran; a restart must not race the
          // dying process for the data folder's lock, just as a person would not restart before it is gone.
          await waitForGroupToEnd(child.pid!);
        },
        stop: async () => {
          killGroup(child.pid!, 'SIGTERM');
          const forced = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), 30_000);
          await exited;
          clearTimeout(forced);
        },
        stderr: () => stderr,
      });
    });
  });
}

function killGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** The processes of a process group, zombies included (a lock held by a zombie's pid still looks taken). */
function liveMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const pgrp = fields.slice(fields.lastIndexOf(')') + 2).split(' ')[2];
      if (Number(pgrp) === pgid) members.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return members;
}

/** Resolves once no process is left in the group. @throws Error naming the survivors after `timeoutMs`. */
async function waitForGroupToEnd(pgid: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let left = liveMembers(pgid); left.length > 0; left = liveMembers(pgid)) {
    if (Date.now() > deadline) throw new Error(`processes ${left.join(', ')} of group ${pgid} survived SIGKILL`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** VmHWM of a process in KB, 0 once it is gone. */
export function peakRssKb(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('VmHWM:'));
    return Number(line?.replace(/\D+/g, '') ?? 0);
  } catch {
    return 0;
  }
}

/** Resident memory in KB of every process in a process group (the stack, tsx and the vision workers it forks). */
export function groupRssKb(pgid: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): state, ppid, pgrp, ...
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgrp !== pgid) continue;
      const line = readFileSync(`/proc/${entry}/status`, 'utf8')
        .split('\n')
        .find((row) => row.startsWith('VmRSS:'));
      total += Number(line?.replace(/\D+/g, '') ?? 0);
    } catch {
      // The process ended while we looked.
    }
  }
  return total;
}
