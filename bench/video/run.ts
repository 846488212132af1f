/**
 * `npm run bench:video [-- --seconds N]`: the video section of `npm run bench` on its own (default 60 s of 720p30),
 * printing the result and writing bench/results/video.json.
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
  const result = { date: new Date().toISOString(), machine, ...(await runVideoBench({ seconds, log })), targetRealTimeFactor: 1 };
  const out = repoPath('bench', 'results', 'video.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  log(JSON.stringify(result, null, 2));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
