import { readFileSync } from 'node:fs';

/**
 * Peak resident set size of this process in MB: VmHWM from /proc (Linux), else resourceUsage().maxRSS.
 */
export function peakRssMb(pid: number | 'self' = 'self'): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    if (match) return Number(match[1]) / 1024;
  } catch {
    // Not Linux, or the process already exited.
  }
  return pid === 'self' ? process.resourceUsage().maxRSS / 1024 : null;
}
