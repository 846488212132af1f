/**
 * Runs the resize core once on a file in a fresh process and prints one JSON line: how it ended, how long it took,
 * and the process's peak resident memory (VmHWM), which includes Node, sharp and every buffer libvips allocated.
 * Usage: tsx resize-child.ts <file>
 */
import { readFileSync } from 'node:fs';
import { resizeOnce } from './resize-harness';

function peakRssKb(): number {
  const line = readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('VmHWM:'));
  return Number(line?.replace(/\D+/g, '') ?? 0);
}

async function main(): Promise<void> {
  const body = readFileSync(process.argv[2]);
  const baselineKb = peakRssKb();
  const started = process.hrtime.bigint();
  const outcome = await resizeOnce(body);
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  const result = outcome.kind === 'failed' ? { kind: outcome.kind, name: outcome.name } : { kind: outcome.kind };
  process.stdout.write(`${JSON.stringify({ ...result, elapsedMs, baselineKb, peakKb: peakRssKb() })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(2);
});
