import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyticsFactSchema } from '@smart-image-pipeline/contracts';
import { runReport } from '../../../cli/report';
import { generateFacts, GENERATED_FORMATS, writeFacts } from '../../generate-facts';
import { daysOf, parseWindow, summarise, summaryCsv } from '../../report';

const templateFile = join(__dirname, '..', '..', '..', '..', 'template.yaml');
const FORMATS = GENERATED_FORMATS;

const countBy = <T>(items: T[], key: (item: T) => string) =>
  items.reduce((counts, item) => counts.set(key(item), (counts.get(key(item)) ?? 0) + 1), new Map<string, number>());

describe('local analytics: the template named queries on DuckDB over generated facts', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'report-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('answers every question as a direct count of the facts would, a day without facts as zero, older facts left out', async () => {
    // Prepare
    const window = daysOf(7);
    const withFacts = window.filter((_, index) => index !== 2);
    const rows = generateFacts(600, withFacts, 42).map(({ dt, fact }) => ({ dt, fact: analyticsFactSchema.parse(fact) }));
    writeFacts(dataDir, [...rows, ...generateFacts(50, [daysOf(30)[0]], 7)]);
    const facts = rows.map((row) => row.fact);
    const processed = facts.filter((fact) => fact.factType === 'processed');
    const failed = facts.filter((fact) => fact.factType === 'failed');

    // Act
    const summary = await summarise({ dataDir, templateFile, days: 7 });

    // Assess
    const processedByDay = countBy(
      rows.filter((row) => row.fact.factType === 'processed'),
      (row) => row.dt,
    );
    const failedByDay = countBy(
      rows.filter((row) => row.fact.factType === 'failed'),
      (row) => row.dt,
    );
    expect(summary.imagesPerDay).toEqual(
      window.map((day) => ({ day, processed: processedByDay.get(day) ?? 0, failed: failedByDay.get(day) ?? 0 })),
    );
    expect(summary.imagesPerDay[2]).toEqual({ day: window[2], processed: 0, failed: 0 });
    expect(new Map(summary.failureReasons.map((row) => [row.reason, row.images]))).toEqual(countBy(failed, (fact) => fact.failureReason));
    expect(new Map(summary.topLabels.map((row) => [row.label, row.images]))).toEqual(
      countBy(
        processed.flatMap((fact) => fact.labels),
        (label) => label.name,
      ),
    );
    expect(summary.rekognitionCalls).toEqual({
      analysed: processed.filter((fact) => fact.analysed).length,
      skipped: processed.filter((fact) => !fact.analysed).length,
    });
    for (const format of FORMATS) {
      const ofFormat = processed.filter((fact) => fact.format === format);
      expect(summary.inputVolume.find((row) => row.format === format)).toEqual({
        format,
        images: ofFormat.length,
        bytesIn: ofFormat.reduce((sum, fact) => sum + fact.bytesIn, 0),
        megapixels: Math.round(ofFormat.reduce((sum, fact) => sum + fact.width * fact.height, 0) / 1e5) / 10,
      });
    }
  });

  it('summarises an empty data folder as zeros', async () => {
    // Act
    const summary = await summarise({ dataDir, templateFile, days: 3 });

    // Assess
    expect(summary.imagesPerDay.map((row) => [row.processed, row.failed])).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    expect(summary.rekognitionCalls).toEqual({ analysed: 0, skipped: 0 });
    expect(summaryCsv(summary).split('\n')[0]).toBe('section,key,measure,value');
  });

  it.each(['0d', '7', '-1d', '367d', '1.5d', 'week'])('refuses the window %s with a clear error', (text) => {
    expect(() => parseWindow(text)).toThrow(/--since must be a number of days from 1d to 366d/);
  });

  it('npm run report prints the summary and writes CSV; a bad window exits 2 without output', async () => {
    // Prepare
    writeFacts(dataDir, generateFacts(20, [daysOf(1)[0]], 3));
    const lines: string[] = [];
    const csv = join(dataDir, 'summary.csv');
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);

    // Act
    const ok = await runReport(['--since', '1d', '--csv', csv, '--data-dir', dataDir], (line) => lines.push(line));
    const bad = await runReport(['--since', '0d', '--data-dir', dataDir], (line) => lines.push(line));
    stderr.mockRestore();

    // Assess
    expect([ok, bad]).toEqual([0, 2]);
    expect(lines[0]).toBe('Analytics, last 1 day(s) (UTC)');
    expect(lines.at(-1)).toBe(`CSV written to ${csv}`);
    expect(readFileSync(csv, 'utf8')).toMatch(new RegExp(`^section,key,measure,value\nimages-per-day,${daysOf(1)[0]},processed,\\d+\n`));
  });
});
