import { analyticsScope, summariseFacts, type AnalyticsSummary } from '@smart-image-pipeline/contracts';
import { openFactsEngine } from './facts-db';

/** `7d`, `30d`: a window of whole days ending today (UTC), at most a year. */
export function parseWindow(text: string): number {
  const match = /^([0-9]{1,3})d$/.exec(text);
  const days = match ? Number(match[1]) : NaN;
  if (!(days >= 1 && days <= 366)) throw new RangeError(`--since must be a number of days from 1d to 366d, like 7d (got "${text}")`);
  return days;
}

/** The UTC dates of the window, oldest first. */
export function daysOf(days: number, today = new Date()): string[] {
  return analyticsScope({ days, today }).days;
}

/** The shared query layer's summary of the local facts of the last `days` days (every owner, or one; every version, or one). */
export async function summarise(options: {
  dataDir: string;
  days: number;
  today?: Date;
  owner?: string;
  version?: string;
}): Promise<AnalyticsSummary> {
  // The scope is checked before the engine opens, so a bad version is refused without touching the data folder.
  const scope = analyticsScope({ days: options.days, today: options.today, owner: options.owner, version: options.version });
  const engine = await openFactsEngine(options.dataDir, options.today ? { now: () => options.today! } : {});
  try {
    return await summariseFacts(engine, scope);
  } finally {
    engine.close();
  }
}

const bytes = (value: number) => `${(value / 1e6).toFixed(1)} MB`;
const usd = (value: number) => `$${value.toFixed(4)}`;

/** The summary as text lines for the terminal. */
export function summaryLines(summary: AnalyticsSummary): string[] {
  const lines = [`Analytics, last ${summary.days.length} day(s) (UTC), owner ${summary.owner}, version ${summary.version}`, ''];
  lines.push('Images per day:    processed  failed  flagged');
  for (const row of summary.imagesPerDay)
    lines.push(
      `  ${row.day}        ${String(row.processed).padStart(9)}  ${String(row.failed).padStart(6)}  ${String(row.flagged).padStart(7)}`,
    );
  lines.push('', 'Failure reasons:');
  for (const row of summary.failureReasons) lines.push(`  ${row.reason}: ${row.images}`);
  if (summary.failureReasons.length === 0) lines.push('  none');
  lines.push('', 'Top labels (images in the window):');
  for (const label of summary.topLabels.labels)
    lines.push(`  ${label}: ${summary.topLabels.perDay.reduce((sum, day) => sum + (day.counts[label] ?? 0), 0)}`);
  if (summary.topLabels.labels.length === 0) lines.push('  none');
  lines.push('', 'Run latency, upload to result (ms):  p50  p95  p99');
  for (const row of summary.runLatency.filter((day) => day.images > 0))
    lines.push(`  ${row.day}: ${row.p50}  ${row.p95}  ${row.p99} (${row.images} runs)`);
  lines.push('', `Step latency, each step its own time (ms), ${summary.stepLatency.runs} runs:  p50  p95  (runs timed)`);
  for (const step of summary.stepLatency.steps) lines.push(`  ${step.step}: ${step.p50 ?? '-'}  ${step.p95 ?? '-'}  (${step.timed})`);
  lines.push(`Versions in the window: ${summary.versions.join(', ') || 'none'}`);
  const savings = summary.resizeSavings.reduce((sum, day) => ({ in: sum.in + day.bytesIn, out: sum.out + day.bytesOut }), {
    in: 0,
    out: 0,
  });
  lines.push('', `Resizing: ${bytes(savings.in)} in, ${bytes(savings.out)} of variants out, ${bytes(savings.in - savings.out)} saved`);
  const calls = summary.rekognitionCalls.reduce(
    (sum, day) => ({ calls: sum.calls + day.calls, skipped: sum.skipped + day.skipped, notAnalysed: sum.notAnalysed + day.notAnalysed }),
    { calls: 0, skipped: 0, notAnalysed: 0 },
  );
  lines.push(
    `Rekognition: ${calls.calls} call(s) made, ${calls.skipped} skipped by the configuration; ${calls.notAnalysed} image(s) not analysed`,
  );
  lines.push(`Estimated spend: ${usd(summary.spend.totalUsd)} (avoided ${usd(summary.spend.avoidedUsd)}; ${summary.spend.prices.source})`);
  lines.push('', 'Input by format:');
  for (const row of summary.inputVolume) lines.push(`  ${row.format}: ${row.images} image(s), ${row.bytesIn} bytes, ${row.megapixels} MP`);
  if (summary.inputVolume.length === 0) lines.push('  none');
  return lines;
}

const csvField = (value: unknown) => {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The summary as CSV in long form: section, key, measure, value (one row per number). */
export function summaryCsv(summary: AnalyticsSummary): string {
  const rows: unknown[][] = [['section', 'key', 'measure', 'value']];
  const perDay = (section: string, series: Array<{ day: string } & Record<string, unknown>>) => {
    for (const row of series)
      for (const [measure, value] of Object.entries(row)) if (measure !== 'day') rows.push([section, row.day, measure, value ?? '']);
  };
  perDay('images-per-day', summary.imagesPerDay);
  for (const row of summary.failureReasons) rows.push(['failure-reasons', row.reason, 'images', row.images]);
  for (const row of summary.topLabels.perDay)
    for (const label of summary.topLabels.labels) rows.push(['top-labels', row.day, label, row.counts[label] ?? 0]);
  perDay('run-latency-ms', summary.runLatency);
  for (const step of summary.stepLatency.steps)
    for (const measure of ['timed', 'p50', 'p95'] as const) rows.push(['step-latency-ms', step.step, measure, step[measure] ?? '']);
  perDay('resize-savings', summary.resizeSavings);
  perDay('rekognition-calls', summary.rekognitionCalls);
  perDay('spend-usd', summary.spend.perDay);
  for (const row of summary.inputVolume)
    rows.push(
      ['input-volume-by-format', row.format, 'images', row.images],
      ['input-volume-by-format', row.format, 'bytes-in', row.bytesIn],
      ['input-volume-by-format', row.format, 'megapixels', row.megapixels],
    );
  return `${rows.map((row) => row.map(csvField).join(',')).join('\n')}\n`;
}
