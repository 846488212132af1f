import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { factFiles, namedQueries, openFactsDb } from '../../local/analytics/facts-db';
import { generateFacts, writeFacts } from '../../local/analytics/generate-facts';
import { daysOf } from '../../local/analytics/report';
import { repoPath } from '../lib/paths';

/**
 * `npm run bench:analytics [-- --facts N --runs R]`: writes N generated facts (default 1,000,000) over the last 30 days
 * as the local delivery stream would, then times each of the template's named queries (7-day window) R times on the
 * DuckDB view `npm run report` uses, and prints p50/p95 per query. No console API exists yet, so this times the queries
 * an API would run, not an HTTP round trip.
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const option = (name: string, fallback: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
  const total = option('--facts', 1_000_000);
  const runs = option('--runs', 7);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sip-analytics-bench-'));
  try {
    const started = Date.now();
    const days = daysOf(30);
    for (let written = 0, batch = 0; written < total; batch += 1) {
      const count = Math.min(100_000, total - written);
      writeFacts(dataDir, generateFacts(count, days, batch + 1));
      written += count;
    }
    process.stdout.write(
      `${total} facts written in ${((Date.now() - started) / 1000).toFixed(1)} s (${os.cpus().length} cores, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')})\n`,
    );
    const queries = namedQueries(repoPath('template.yaml'));
    const db = await openFactsDb(factFiles(dataDir), queries);
    try {
      for (const name of queries.keys()) {
        const times: number[] = [];
        for (let run = 0; run < runs; run += 1) {
          const t0 = performance.now();
          await db.run(name, 7);
          times.push(performance.now() - t0);
        }
        times.sort((a, b) => a - b);
        const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
        process.stdout.write(
          `${name.padEnd(24)} p50 ${at(0.5).toFixed(0).padStart(6)} ms  p95 ${at(0.95).toFixed(0).padStart(6)} ms  (${runs} runs)\n`,
        );
      }
    } finally {
      db.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
