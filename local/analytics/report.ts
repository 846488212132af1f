import { factFiles, namedQueries, openFactsDb } from './facts-db';

/** `7d`, `30d`: a window of whole days ending today (UTC), at most a year. */
export function parseWindow(text: string): number {
  const match = /^([0-9]{1,3})d$/.exec(text);
  const days = match ? Number(match[1]) : NaN;
  if (!(days >= 1 && days <= 366)) throw new RangeError(`--since must be a number of days from 1d to 366d, like 7d (got "${text}")`);
  return days;
}

/** The UTC dates of the window, oldest first. */
export function daysOf(days: number, today = new Date()): string[] {
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Array.from({ length: days }, (_, index) => new Date(end - (days - 1 - index) * 86_400_000).toISOString().slice(0, 10));
}

export interface AnalyticsSummary {
  days: number;
  /** Every day of the window, a day without facts as zeros. */
  imagesPerDay: Array<{ day: string; processed: number; failed: number }>;
  failureReasons: Array<{ reason: string; images: number }>;
  topLabels: Array<{ label: string; images: number }>;
  rekognitionCalls: { analysed: number; skipped: number };
  inputVolume: Array<{ format: string; images: number; bytesIn: number; megapixels: number }>;
}

const num = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));

/** Runs the template's named queries over the local facts of the last `days` days. */
export async function summarise(options: { dataDir: string; templateFile: string; days: number; today?: Date }): Promise<AnalyticsSummary> {
  const db = await openFactsDb(factFiles(options.dataDir), namedQueries(options.templateFile));
  try {
    const perDay = new Map((await db.run('images-per-day', options.days)).map((row) => [String(row.day), row]));
    const [calls] = await db.run('rekognition-calls', options.days);
    return {
      days: options.days,
      imagesPerDay: daysOf(options.days, options.today).map((day) => ({
        day,
        processed: num(perDay.get(day)?.processed),
        failed: num(perDay.get(day)?.failed),
      })),
      failureReasons: (await db.run('failure-reasons', options.days)).map((row) => ({
        reason: String(row.reason),
        images: num(row.images),
      })),
      topLabels: (await db.run('top-labels', options.days)).map((row) => ({ label: String(row.label), images: num(row.images) })),
      rekognitionCalls: { analysed: num(calls?.analysed), skipped: num(calls?.skipped) },
      inputVolume: (await db.run('input-volume-by-format', options.days)).map((row) => ({
        format: String(row.format),
        images: num(row.images),
        bytesIn: num(row.bytes_in),
        megapixels: num(row.megapixels),
      })),
    };
  } finally {
    db.close();
  }
}

/** The summary as text lines for the terminal. */
export function summaryLines(summary: AnalyticsSummary): string[] {
  const lines = [`Analytics, last ${summary.days} day(s) (UTC)`, '', 'Images per day:    processed  failed'];
  for (const row of summary.imagesPerDay)
    lines.push(`  ${row.day}        ${String(row.processed).padStart(9)}  ${String(row.failed).padStart(6)}`);
  lines.push('', 'Failure reasons:');
  for (const row of summary.failureReasons) lines.push(`  ${row.reason}: ${row.images}`);
  if (summary.failureReasons.length === 0) lines.push('  none');
  lines.push('', 'Top labels:');
  for (const row of summary.topLabels) lines.push(`  ${row.label}: ${row.images}`);
  if (summary.topLabels.length === 0) lines.push('  none');
  lines.push(
    '',
    `Rekognition: called for ${summary.rekognitionCalls.analysed} image(s), skipped by the configuration for ${summary.rekognitionCalls.skipped}`,
  );
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
  for (const row of summary.imagesPerDay)
    rows.push(['images-per-day', row.day, 'processed', row.processed], ['images-per-day', row.day, 'failed', row.failed]);
  for (const row of summary.failureReasons) rows.push(['failure-reasons', row.reason, 'images', row.images]);
  for (const row of summary.topLabels) rows.push(['top-labels', row.label, 'images', row.images]);
  rows.push(
    ['rekognition-calls', '', 'analysed', summary.rekognitionCalls.analysed],
    ['rekognition-calls', '', 'skipped', summary.rekognitionCalls.skipped],
  );
  for (const row of summary.inputVolume)
    rows.push(
      ['input-volume-by-format', row.format, 'images', row.images],
      ['input-volume-by-format', row.format, 'bytes-in', row.bytesIn],
      ['input-volume-by-format', row.format, 'megapixels', row.megapixels],
    );
  return `${rows.map((row) => row.map(csvField).join(',')).join('\n')}\n`;
}
