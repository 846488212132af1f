import os from 'node:os';
import { runAnalyticsBench } from './section';

/**
 * `npm run bench:analytics [-- --facts N --runs R]`: the analytics section of `npm run bench` on its own (default
 * 1,000,000 facts, 20 runs per chart), printing p50/p95 per chart.
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const option = (name: string, fallback: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(
    `${os.cpus().length} cores, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const result = await runAnalyticsBench({ facts: option('--facts', 1_000_000), runs: option('--runs', 20), log });
  log(`worst p95 ${result.worstP95Ms} ms (${result.worstChart}); target 300 ms per chart`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
