import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ANALYTICS_CHARTS, analyticsScope, chartQuery, type AnalyticsChart } from '@smart-image-pipeline/contracts';
import { openFactsEngine } from '../../local/analytics/facts-db';
import { signInThroughHostedUi } from '../../local/services/cognito-idp/sign-in-client';
import { startLocalStack } from '../../local/stack';
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
  /** The whole page's data: GET /analytics?days=7 as an admin through the local HTTP API, function and Athena. */
  api: { p50Ms: number; p95Ms: number; runs: number };
}

/** The web origin the bench's sign-in names; nothing listens there. */
const BENCH_ORIGIN = 'http://127.0.0.1:9';

/** Times GET /analytics?days=7 on a local stack over the facts folder, as the Analytics page calls it. */
async function timeApi(dataDir: string, runs: number): Promise<AnalyticsBenchResult['api']> {
  const stack = await startLocalStack({ dataDir, edgePort: 0, apiPort: 0, authPort: 0, allowedOrigins: [BENCH_ORIGIN], withVision: false });
  try {
    const web = stack.webApp!;
    const { access_token: token } = await signInThroughHostedUi({
      authDomainUrl: web.authDomainUrl,
      clientId: web.userPoolClientId,
      redirectUri: `${BENCH_ORIGIN}/`,
    });
    const call = async () => {
      const response = await fetch(`${web.apiUrl}/analytics?days=7`, { headers: { authorization: `Bearer ${token}` } });
      if (response.status !== 200) throw new Error(`GET /analytics answered ${response.status}: ${await response.text()}`);
      await response.json();
    };
    await call();
    const times: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      const t0 = performance.now();
      await call();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { p50Ms: Math.round(percentile(times, 0.5)), p95Ms: Math.round(percentile(times, 0.95)), runs };
  } finally {
    await stack.stop();
  }
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
    let measured: Omit<AnalyticsBenchResult, 'api' | 'facts' | 'spreadOverDays' | 'windowDays' | 'runs' | 'writeSeconds'>;
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
      measured = { compactSeconds, charts, worstP95Ms: worst.ms, worstChart: worst.chart };
    } finally {
      engine.close();
    }
    const api = await timeApi(dataDir, options.runs);
    options.log(`  GET /analytics?days=7 (every chart, admin)  p50 ${api.p50Ms} ms  p95 ${api.p95Ms} ms`);
    return { facts: options.facts, spreadOverDays: days.length, windowDays: 7, runs: options.runs, writeSeconds, ...measured, api };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
