/**
 * `npm run bench:video [-- --seconds N] [-- --priority]`: the video section of `npm run bench` on its own (default 60 s
 * of 720p30), printing the result and writing bench/results/video.json. `--priority` raises the bench session's
 * autogroup weight for the run (Linux, root), so it measures the machine's cores rather than its share among other
 * sessions; the result records the autogroup's nice value either way.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeMachine } from '../lib/machine';
import { repoPath } from '../lib/paths';
import { runVideoBench } from './section';

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const seconds = argv.includes('--seconds') ? Number(argv[argv.indexOf('--seconds') + 1]) : 60;
  if (!Number.isFinite(seconds) || seconds < 2 || seconds > 600) throw new Error('--seconds must be a number from 2 to 600');
  const machine = describeMachine();
  log(`video bench: ${seconds} s of 720p30, ${machine.cores} cores, load ${machine.loadAverageAtStart.join(' ')}`);
  const result = {
    date: new Date().toISOString(),
    machine,
    ...(await runVideoBench({ seconds, priority: argv.includes('--priority'), log })),
    targetRealTimeFactor: 1,
  };
  const out = repoPath('bench', 'results', 'video.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  log(JSON.stringify(result, null, 2));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
