import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ANALYTICS_CHARTS, analyticsScope, chartQuery, type AnalyticsChart } from '@smart-image-pipeline/contracts';
import { openFactsEngine } from '../../local/analytics/facts-db';
import { generateFacts, GENERATED_OWNERS, writeFacts } from '../../local/analytics/generate-facts';

/** What the analytics section measured: each chart's query over generated facts, as the Analytics API runs it locally. */
export interface AnalyticsBenchResult {
  facts: number;
  spreadOverDays: number;
  windowDays: number;
  runs: number;
  writeSeconds: number;
  /** One-off: past days' JSON lines rewritten as Parquet (happens once per day in use). */
  compactSeconds: number;
  /** p50/p95 per chart, for an admin (every owner) and for one user's facts. */
  charts: Record<AnalyticsChart, { admin: { p50Ms: number; p95Ms: number }; owner: { p50Ms: number; p95Ms: number } }>;
  worstP95Ms: number;
  worstChart: string;
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

/**
 * Writes `facts` generated facts over the last 30 days where the local delivery stream writes them (today's share
 * stays JSON lines), compacts the past days, then times every chart's query of the shared query layer over a 7-day
 * window `runs` times on the DuckDB engine the local Athena answers with.
 */
export async function runAnalyticsBench(options: {
  facts: number;
  runs: number;
  log: (line: string) => void;
}): Promise<AnalyticsBenchResult> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sip-analytics-bench-'));
  try {
    const started = Date.now();
    const days = analyticsScope({ days: 30 }).days;
    for (let written = 0, batch = 0; written < options.facts; batch += 1) {
      const count = Math.min(100_000, options.facts - written);
      writeFacts(dataDir, generateFacts(count, days, batch + 1));
      written += count;
    }
    const writeSeconds = (Date.now() - started) / 1000;
    options.log(`  analytics: ${options.facts} facts over ${days.length} days written in ${writeSeconds.toFixed(1)} s`);
    const engine = await openFactsEngine(dataDir);
    try {
      const compactStarted = Date.now();
      const compacted = await engine.compact();
      const compactSeconds = (Date.now() - compactStarted) / 1000;
      options.log(`  analytics: ${compacted} past days compacted to Parquet in ${compactSeconds.toFixed(1)} s`);
      const charts = {} as AnalyticsBenchResult['charts'];
      let worst = { ms: 0, chart: '' };
      for (const chart of ANALYTICS_CHARTS) {
        const timed = async (owner?: string) => {
          const query = chartQuery(chart, analyticsScope({ days: 7, owner }));
          await engine.query(query);
          const times: number[] = [];
          for (let run = 0; run < options.runs; run += 1) {
            const t0 = performance.now();
            await engine.query(query);
            times.push(performance.now() - t0);
          }
          times.sort((a, b) => a - b);
          return { p50Ms: Math.round(percentile(times, 0.5)), p95Ms: Math.round(percentile(times, 0.95)) };
        };
        charts[chart] = { admin: await timed(), owner: await timed(GENERATED_OWNERS[0]) };
        for (const [who, result] of Object.entries(charts[chart]))
          if (result.p95Ms > worst.ms) worst = { ms: result.p95Ms, chart: `${chart} (${who})` };
        options.log(
          `  ${chart.padEnd(24)} admin p50 ${String(charts[chart].admin.p50Ms).padStart(5)} ms p95 ${String(charts[chart].admin.p95Ms).padStart(5)} ms;` +
            ` one user p50 ${String(charts[chart].owner.p50Ms).padStart(5)} ms p95 ${String(charts[chart].owner.p95Ms).padStart(5)} ms`,
        );
      }
      return {
        facts: options.facts,
        spreadOverDays: days.length,
        windowDays: 7,
        runs: options.runs,
        writeSeconds,
        compactSeconds,
        charts,
        worstP95Ms: worst.ms,
        worstChart: worst.chart,
      };
    } finally {
      engine.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
