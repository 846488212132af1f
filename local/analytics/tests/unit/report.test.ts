import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  analyticsFactSchema,
  PIPELINE_STEPS,
  stepDurationField,
  type AnalyticsFact,
  type StepDurations,
} from '@smart-image-pipeline/contracts';
import { runReport } from '../../../cli/report';
import { openFactsEngine } from '../../facts-db';
import { generateFacts, GENERATED_FORMATS, GENERATED_OWNERS, writeFacts } from '../../generate-facts';
import { daysOf, parseWindow, summarise, summaryCsv } from '../../report';

const countBy = <T>(items: T[], key: (item: T) => string) =>
  items.reduce((counts, item) => counts.set(key(item), (counts.get(key(item)) ?? 0) + 1), new Map<string, number>());
const sum = <T>(items: T[], value: (item: T) => number) => items.reduce((total, item) => total + value(item), 0);
type Processed = Extract<AnalyticsFact, { factType: 'processed' }>;

/** The percentile DuckDB's approx_quantile approximates; its answer is checked within a tolerance. */
const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))];

describe('local analytics: the shared query layer on DuckDB over generated facts', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'report-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('answers every chart as a direct count of the facts would, a day without facts as zero, older facts left out', async () => {
    // Prepare
    const window = daysOf(7);
    const withFacts = window.filter((_, index) => index !== 2);
    const rows = generateFacts(600, withFacts, 42).map(({ dt, fact }) => ({ dt, fact: analyticsFactSchema.parse(fact) }));
    writeFacts(dataDir, [...rows, ...generateFacts(50, [daysOf(30)[0]], 7)]);
    const facts = rows.map((row) => row.fact);
    const processed = facts.filter((fact): fact is Processed => fact.factType === 'processed');

    // Act
    const summary = await summarise({ dataDir, days: 7 });

    // Assess
    const byType = (type: string) =>
      countBy(
        rows.filter((row) => row.fact.factType === type),
        (row) => row.dt,
      );
    const [processedByDay, failedByDay, flaggedByDay] = ['processed', 'failed', 'flagged'].map(byType);
    expect(summary.imagesPerDay).toEqual(
      window.map((day) => ({
        day,
        processed: processedByDay.get(day) ?? 0,
        failed: failedByDay.get(day) ?? 0,
        flagged: flaggedByDay.get(day) ?? 0,
      })),
    );
    expect(summary.imagesPerDay[2]).toEqual({ day: window[2], processed: 0, failed: 0, flagged: 0 });
    expect(new Map(summary.failureReasons.map((row) => [row.reason, row.images]))).toEqual(
      countBy(
        facts.flatMap((fact) => (fact.factType === 'failed' ? [fact.failureReason] : [])),
        (reason) => reason,
      ),
    );
    const labelTotals = countBy(
      processed.flatMap((fact) => fact.labels),
      (label) => label.name,
    );
    expect(new Set(summary.topLabels.labels)).toEqual(new Set(labelTotals.keys()));
    for (const label of summary.topLabels.labels)
      expect(sum(summary.topLabels.perDay, (day) => day.counts[label])).toBe(labelTotals.get(label));
    expect(summary.rekognitionCalls.map((day) => day.calls)).toEqual(
      window.map((day) =>
        sum(
          processed.filter((_, index) => rows.filter((row) => row.fact.factType === 'processed')[index].dt === day),
          (fact) => fact.rekognitionCalls ?? 0,
        ),
      ),
    );
    expect(sum(summary.rekognitionCalls, (day) => day.skipped)).toBe(sum(processed, (fact) => fact.rekognitionSkipped ?? 0));
    expect(sum(summary.rekognitionCalls, (day) => day.notAnalysed)).toBe(processed.filter((fact) => !fact.analysed).length);
    expect(sum(summary.resizeSavings, (day) => day.bytesIn)).toBe(sum(processed, (fact) => fact.bytesIn));
    expect(sum(summary.resizeSavings, (day) => day.bytesSaved)).toBe(sum(processed, (fact) => fact.bytesIn - (fact.bytesOut ?? 0)));
    const runMs = facts
      .filter((fact) => fact.factType !== 'flagged')
      .map((fact) => Date.parse(fact.occurredAt) - Date.parse(fact.receivedAt));
    const latencyRuns = sum(summary.runLatency, (day) => day.images);
    expect(latencyRuns).toBe(runMs.length);
    const lastDay = summary.runLatency.at(-1)!;
    const lastDayMs = rows
      .filter((row) => row.dt === lastDay.day && row.fact.factType !== 'flagged')
      .map((row) => Date.parse(row.fact.occurredAt) - Date.parse(row.fact.receivedAt));
    expect(Math.abs(lastDay.p50! - quantile(lastDayMs, 0.5))).toBeLessThan(1500);
    expect(summary.runLatency[2]).toEqual({ day: window[2], images: 0, p50: null, p95: null, p99: null });
    expect(summary.spend.totalUsd).toBeCloseTo(
      sum(processed, (fact) => (fact.rekognitionCalls ?? 0) * 0.001) + facts.filter((fact) => fact.factType !== 'flagged').length * 0.00032,
      4,
    );
    for (const format of GENERATED_FORMATS) {
      const ofFormat = processed.filter((fact) => fact.format === format);
      expect(summary.inputVolume.find((row) => row.format === format)).toEqual({
        format,
        images: ofFormat.length,
        bytesIn: sum(ofFormat, (fact) => fact.bytesIn),
        megapixels: Math.round(sum(ofFormat, (fact) => fact.width * fact.height) / 1e5) / 10,
      });
    }
  });

  it('gives each step its own p50/p95 and the whole run, for every version or one, and names the versions', async () => {
    // Prepare
    const rows = generateFacts(800, daysOf(3), 11).map(({ dt, fact }) => ({ dt, fact: analyticsFactSchema.parse(fact) }));
    // A fact from before versions and step times existed: counted under `unknown`, with no step time.
    const old = { ...rows.find((row) => row.fact.factType === 'processed')! };
    const {
      pipelineVersion: _version,
      resolveVersionMs: _r,
      resizeMs: _s,
      analyseMs: _a,
      transcodeMs: _c,
      videoAnalysisMs: _v,
      storeMs: _t,
      ...oldFact
    } = old.fact as Processed;
    writeFacts(dataDir, [...rows, { dt: old.dt, fact: { ...oldFact, eventId: 'before-versions' } as AnalyticsFact }]);
    const runs = rows
      .map((row) => row.fact)
      .filter((fact): fact is Exclude<AnalyticsFact, { factType: 'flagged' }> => fact.factType !== 'flagged');
    const timesOf = (facts: typeof runs, field: keyof StepDurations) =>
      facts.map((fact) => fact[field]).filter((ms): ms is number => ms !== null);

    // Act
    const summary = await summarise({ dataDir, days: 3 });
    const v2 = await summarise({ dataDir, days: 3, version: 'v2' });

    // Assess
    expect(summary.versions).toEqual(['unknown', 'v1', 'v2']);
    const all = summary.stepLatency;
    expect(all.runs).toBe(runs.length + 1);
    expect(all.steps.map((step) => step.step)).toEqual([
      'resolveVersion',
      'resize',
      'analyse',
      'transcode',
      'videoAnalysis',
      'store',
      'run',
    ]);
    for (const [index, step] of PIPELINE_STEPS.entries()) {
      const times = timesOf(runs, stepDurationField(step));
      // Every step has times to compare, the video ones too (about 5 % of the generated processed facts are videos).
      expect(times.length).toBeGreaterThan(5);
      expect(all.steps[index].timed).toBe(times.length);
      expect(Math.abs(all.steps[index].p50! - quantile(times, 0.5))).toBeLessThanOrEqual(0.05 * quantile(times, 0.95));
      expect(Math.abs(all.steps[index].p95! - quantile(times, 0.95))).toBeLessThanOrEqual(0.05 * quantile(times, 0.95));
    }
    const wholeRun = runs.map((fact) => Date.parse(fact.occurredAt) - Date.parse(fact.receivedAt));
    expect(all.steps.at(-1)!.timed).toBe(runs.length + 1);
    expect(Math.abs(all.steps.at(-1)!.p95! - quantile(wholeRun, 0.95))).toBeLessThanOrEqual(0.05 * quantile(wholeRun, 0.95));
    const ofV2 = runs.filter((fact) => fact.pipelineVersion === 'v2');
    expect(v2.version).toBe('v2');
    expect(v2.versions).toEqual(['v2']);
    expect(v2.stepLatency.runs).toBe(ofV2.length);
    expect(v2.stepLatency.steps[1].timed).toBe(timesOf(ofV2, 'resizeMs').length);
    expect(sum(v2.imagesPerDay, (day) => day.processed)).toBe(ofV2.filter((fact) => fact.factType === 'processed').length);
  });

  it('refuses a version that is not a version name', async () => {
    // Act / Assess
    await expect(summarise({ dataDir, days: 3, version: "v1' OR 1=1" })).rejects.toThrow(/"version" must be a version name/);
  });

  it("counts one owner's facts only when asked for one owner", async () => {
    // Prepare
    const rows = generateFacts(300, daysOf(3), 5);
    writeFacts(dataDir, rows);
    const owner = GENERATED_OWNERS[1];

    // Act
    const summary = await summarise({ dataDir, days: 3, owner });

    // Assess
    expect(summary.owner).toBe(owner);
    expect(sum(summary.imagesPerDay, (day) => day.processed)).toBe(
      rows.filter((row) => row.fact.factType === 'processed' && row.fact.owner === owner).length,
    );
  });

  it("compacts past days into Parquet once, keeps today's lines, and counts a redelivered fact once", async () => {
    // Prepare
    const [yesterday, today] = daysOf(2);
    const rows = generateFacts(200, [yesterday, today], 9);
    writeFacts(dataDir, [...rows, rows.find((row) => row.dt === yesterday)!]);
    const stream = join(dataDir, 'firehose', readdirSync(join(dataDir, 'firehose'))[0]);

    // Act
    const engine = await openFactsEngine(dataDir);
    const compacted = await engine.compact();
    const again = await engine.compact();
    const [perDay] = [await engine.query({ sql: 'SELECT dt, count(*) AS facts FROM facts GROUP BY dt ORDER BY dt', params: [] })];
    writeFacts(dataDir, generateFacts(10, [today], 10));
    const [{ facts: todayAfterAppend }] = await engine.query({ sql: 'SELECT count(*) AS facts FROM facts WHERE dt = ?', params: [today] });
    engine.close();

    // Assess
    expect([compacted, again]).toEqual([1, 0]);
    expect(readdirSync(join(stream, `dt=${yesterday}`))).toEqual(['facts.parquet']);
    expect(existsSync(join(stream, `dt=${today}`, 'records.jsonl'))).toBe(true);
    expect(perDay).toEqual([
      { dt: yesterday, facts: String(rows.filter((row) => row.dt === yesterday).length) },
      { dt: today, facts: String(rows.filter((row) => row.dt === today).length) },
    ]);
    expect(todayAfterAppend).toBe(String(rows.filter((row) => row.dt === today).length + 10));
  });

  it('summarises an empty data folder as zeros', async () => {
    // Act
    const summary = await summarise({ dataDir, days: 3 });

    // Assess
    expect(summary.imagesPerDay.map((row) => [row.processed, row.failed, row.flagged])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(summary.topLabels).toEqual({ labels: [], perDay: daysOf(3).map((day) => ({ day, counts: {} })) });
    expect(summary.spend.totalUsd).toBe(0);
    expect(summaryCsv(summary).split('\n')[0]).toBe('section,key,measure,value');
  });

  it.each(['0d', '7', '-1d', '367d', '1.5d', 'week'])('refuses the window %s with a clear error', (text) => {
    expect(() => parseWindow(text)).toThrow(/--since must be a number of days from 1d to 366d/);
  });

  it('npm run report prints the summary and writes CSV; a bad window or version exits 2 without output', async () => {
    // Prepare
    writeFacts(dataDir, generateFacts(20, [daysOf(1)[0]], 3));
    const lines: string[] = [];
    const csv = join(dataDir, 'summary.csv');
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);

    // Act
    const ok = await runReport(['--since', '1d', '--csv', csv, '--data-dir', dataDir], (line) => lines.push(line));
    const bad = await runReport(['--since', '0d', '--data-dir', dataDir], (line) => lines.push(line));
    const badVersion = await runReport(['--version', 'latest', '--data-dir', dataDir], (line) => lines.push(line));
    const refusals = stderr.mock.calls.map(([text]) => String(text));
    stderr.mockRestore();

    // Assess
    expect([ok, bad, badVersion]).toEqual([0, 2, 2]);
    expect(refusals.some((text) => text.includes('"version" must be a version name'))).toBe(true);
    expect(lines[0]).toBe('Analytics, last 1 day(s) (UTC), owner all, version all');
    expect(lines.at(-1)).toBe(`CSV written to ${csv}`);
    expect(readFileSync(csv, 'utf8')).toMatch(new RegExp(`^section,key,measure,value\nimages-per-day,${daysOf(1)[0]},processed,\\d+\n`));
  });
});
