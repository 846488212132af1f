import type { AnalyticsSummary } from '@smart-image-pipeline/contracts/browser';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LogarithmicScale,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { api, queryString } from '../api';
import { h, replaceChildren } from '../dom';
import type { Page } from '../router';
import { isAdmin } from '../session';

// Only the parts the page draws, so the bundle carries no unused chart types.
Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  LogarithmicScale,
  Legend,
  Tooltip,
);

/** Colours that stay apart for common colour-vision deficiencies (Okabe-Ito). */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];
const WINDOWS = [7, 14, 30, 90];

/** One chart: its title, what it shows in a sentence, the chart, and the same numbers as a table. */
interface ChartSpec {
  id: string;
  title: string;
  description: string;
  config: ChartConfiguration;
  table: { head: string[]; rows: Array<Array<string | number>> };
}

const shortDay = (day: string) => day.slice(5);
const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
const usd = (value: number) => `$${value.toFixed(value < 1 ? 4 : 2)}`;
/** An error name on two lines (`ImageTooLargeError` → Image Too / Large Error), so the axis fits a phone. */
function twoLines(name: string): string[] {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(' ');
  const half = Math.ceil(words.length / 2);
  return words.length < 2 ? [name] : [words.slice(0, half).join(' '), words.slice(half).join(' ')];
}
const integer = (value: number | null) => (value === null ? '—' : value.toLocaleString('en-US'));

/** Options every chart shares: sized by its box (so 375 px works), no animation, legend under the plot. */
function baseOptions(stacked = false, horizontal = false): ChartConfiguration['options'] {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    ...(horizontal ? { indexAxis: 'y' as const } : {}),
    plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
    scales: {
      x: { stacked, ticks: { autoSkip: true, maxRotation: 0 } },
      y: { stacked, beginAtZero: true, ticks: { precision: 0 } },
    },
  };
}

const dataset = (label: string, data: Array<number | null>, index: number, type?: 'line' | 'bar') => ({
  label,
  data,
  backgroundColor: COLOURS[index % COLOURS.length],
  borderColor: COLOURS[index % COLOURS.length],
  ...(type === 'line' ? { borderWidth: 2, pointRadius: 2, spanGaps: true } : {}),
});

/** One bar series from per-day (or per-reason) rows. */
const series = <T>(rows: T[], label: string, value: (row: T) => number | null, colour: number) => dataset(label, rows.map(value), colour);

/** How the step-latency chart names each step. */
const STEP_NAMES: Record<string, string> = {
  resolveVersion: 'Resolve version',
  resize: 'Resize',
  analyse: 'Analyse',
  transcode: 'Video transcode',
  videoAnalysis: 'Video analysis',
  store: 'Store',
  run: 'Whole run',
};

/**
 * Each step's own time and the whole run's, p50 and p95 over the window (every version together; the page's version
 * filter narrows it). The table also gives how many runs each step timed.
 */
function stepLatencyChart(summary: AnalyticsSummary): ChartSpec {
  const steps = summary.stepLatency.runs === 0 ? [] : summary.stepLatency.steps;
  return {
    id: 'step-latency',
    title: 'Step latency',
    description:
      'Milliseconds each step took by its own measure (a video’s transcode: MediaConvert’s submit to finish; its analysis: the Rekognition Video jobs’ start to done), and the whole run from upload to result (which also holds queueing and retries), p50 and p95 over the window; logarithmic scale, so a 50 ms step and a minutes-long video analysis both show.',
    config: {
      type: 'bar',
      data: {
        // One word a line, so the seven bars fit side by side at 375 px.
        labels: steps.map((step) => (STEP_NAMES[step.step] ?? step.step).split(' ')),
        datasets: [series(steps, 'p50', (step) => step.p50, 0), series(steps, 'p95', (step) => step.p95, 1)],
      },
      options: { ...baseOptions(), scales: { x: { ticks: { autoSkip: false, maxRotation: 0 } }, y: { type: 'logarithmic', min: 1 } } },
    },
    table: {
      head: ['Step', 'Runs timed', 'p50 (ms)', 'p95 (ms)'],
      rows: steps.map((step) => [STEP_NAMES[step.step] ?? step.step, step.timed, integer(step.p50), integer(step.p95)]),
    },
  };
}

/** The page's charts, built from the API's summary. */
export function chartSpecs(summary: AnalyticsSummary): ChartSpec[] {
  const days = summary.days.map(shortDay);
  return [
    {
      id: 'images-per-day',
      title: 'Images per day',
      description: 'Uploads processed, failed and flagged by moderation, per UTC day.',
      config: {
        type: 'bar',
        data: {
          labels: days,
          datasets: [
            series(summary.imagesPerDay, 'Processed', (d) => d.processed, 0),
            series(summary.imagesPerDay, 'Failed', (d) => d.failed, 1),
            series(summary.imagesPerDay, 'Flagged', (d) => d.flagged, 3),
          ],
        },
        options: baseOptions(false),
      },
      table: {
        head: ['Day', 'Processed', 'Failed', 'Flagged'],
        rows: summary.imagesPerDay.map((d) => [d.day, d.processed, d.failed, d.flagged]),
      },
    },
    {
      id: 'top-labels',
      title: 'Top labels over time',
      description: 'Images per day carrying each of the most frequent labels of the window.',
      config: {
        type: 'line',
        data: {
          labels: days,
          datasets: summary.topLabels.labels.map((label, index) =>
            dataset(
              label,
              summary.topLabels.perDay.map((d) => d.counts[label] ?? 0),
              index,
              'line',
            ),
          ),
        },
        options: baseOptions(),
      },
      table: {
        head: ['Day', ...summary.topLabels.labels],
        rows: summary.topLabels.perDay.map((d) => [d.day, ...summary.topLabels.labels.map((label) => d.counts[label] ?? 0)]),
      },
    },
    {
      id: 'failure-reasons',
      title: 'Failure reasons',
      description: 'Failed images by the error that stopped them.',
      config: {
        type: 'bar',
        data: {
          labels: summary.failureReasons.map((r) => twoLines(r.reason)),
          datasets: [series(summary.failureReasons, 'Images', (r) => r.images, 1)],
        },
        options: { ...baseOptions(false, true), plugins: { legend: { display: false } } },
      },
      table: { head: ['Reason', 'Images'], rows: summary.failureReasons.map((r) => [r.reason, r.images]) },
    },
    {
      id: 'run-latency',
      title: 'Whole-run time per day',
      description: 'Milliseconds from the upload arriving to its result being published (resize, analysis and store), per day.',
      config: {
        type: 'line',
        data: {
          labels: days,
          datasets: (['p50', 'p95', 'p99'] as const).map((key, index) =>
            dataset(
              key,
              summary.runLatency.map((d) => d[key]),
              index,
              'line',
            ),
          ),
        },
        options: baseOptions(),
      },
      table: {
        head: ['Day', 'Runs', 'p50 (ms)', 'p95 (ms)', 'p99 (ms)'],
        rows: summary.runLatency.map((d) => [d.day, d.images, integer(d.p50), integer(d.p95), integer(d.p99)]),
      },
    },
    stepLatencyChart(summary),
    {
      id: 'resize-savings',
      title: 'Savings from resizing',
      description: 'Megabytes uploaded against megabytes of variants written, per day.',
      config: {
        type: 'bar',
        data: {
          labels: days,
          datasets: [
            series(summary.resizeSavings, 'Uploaded (MB)', (d) => mb(d.bytesIn), 0),
            series(summary.resizeSavings, 'Variants (MB)', (d) => mb(d.bytesOut), 2),
          ],
        },
        options: baseOptions(),
      },
      table: {
        head: ['Day', 'Images', 'Uploaded (bytes)', 'Variants (bytes)', 'Saved (bytes)'],
        rows: summary.resizeSavings.map((d) => [d.day, d.images, d.bytesIn, d.bytesOut, d.bytesSaved]),
      },
    },
    {
      id: 'rekognition-calls',
      title: 'Rekognition calls',
      description: 'Calls made, and calls the analysis configuration skipped (each one a call not paid for), per day.',
      config: {
        type: 'bar',
        data: {
          labels: days,
          datasets: [
            series(summary.rekognitionCalls, 'Made', (d) => d.calls, 0),
            series(summary.rekognitionCalls, 'Skipped by the configuration', (d) => d.skipped, 4),
          ],
        },
        options: baseOptions(true),
      },
      table: {
        head: ['Day', 'Images', 'Calls made', 'Calls skipped', 'Images not analysed'],
        rows: summary.rekognitionCalls.map((d) => [d.day, d.images, d.calls, d.skipped, d.notAnalysed]),
      },
    },
    {
      id: 'spend',
      title: 'Estimated spend',
      description: `US dollars per day: Rekognition and the rest of the pipeline (${summary.spend.prices.source}).`,
      config: {
        type: 'bar',
        data: {
          labels: days,
          datasets: [
            series(summary.spend.perDay, 'Rekognition', (d) => d.rekognitionUsd, 0),
            series(summary.spend.perDay, 'Pipeline', (d) => d.pipelineUsd, 2),
          ],
        },
        options: { ...baseOptions(true), scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } },
      },
      table: {
        head: ['Day', 'Rekognition', 'Pipeline', 'Total', 'Avoided'],
        rows: summary.spend.perDay.map((d) => [d.day, usd(d.rekognitionUsd), usd(d.pipelineUsd), usd(d.totalUsd), usd(d.avoidedUsd)]),
      },
    },
  ];
}

/** A chart's figure: the canvas is hidden from screen readers, which read the table (shown on request to everyone). */
function figure(spec: ChartSpec, charts: Chart[]): HTMLElement {
  const canvas = h('canvas', { 'aria-hidden': 'true' });
  const tableId = `numbers-${spec.id}`;
  const table = h(
    'div',
    {
      class: 'table-scroll chart-numbers visually-hidden',
      id: tableId,
      role: 'region',
      'aria-label': `${spec.title}: the numbers`,
      tabindex: '0',
    },
    h(
      'table',
      { class: 'numbers' },
      h('caption', {}, `${spec.title}: the numbers`),
      h('thead', {}, h('tr', {}, ...spec.table.head.map((cell) => h('th', { scope: 'col' }, cell)))),
      h(
        'tbody',
        {},
        ...spec.table.rows.map((row) =>
          h('tr', {}, ...row.map((cell, index) => (index === 0 ? h('th', { scope: 'row' }, String(cell)) : h('td', {}, String(cell))))),
        ),
      ),
    ),
  );
  const toggle = h(
    'button',
    { type: 'button', class: 'secondary small', 'aria-controls': tableId, 'aria-expanded': 'false' },
    'Show the numbers',
  );
  toggle.addEventListener('click', () => {
    const shown = table.classList.toggle('visually-hidden') === false;
    toggle.setAttribute('aria-expanded', String(shown));
    toggle.textContent = shown ? 'Hide the numbers' : 'Show the numbers';
  });
  const box = h('div', { class: 'chart-box' }, canvas);
  const element = h(
    'figure',
    { class: 'chart', 'data-chart': spec.id },
    h('figcaption', {}, h('h2', {}, spec.title), h('p', { class: 'muted small' }, spec.description)),
    spec.table.rows.length === 0 ? h('p', { class: 'muted' }, 'Nothing in this window.') : box,
    table,
    toggle,
  );
  if (spec.table.rows.length > 0) charts.push(new Chart(canvas, spec.config));
  return element;
}

function totals(summary: AnalyticsSummary): HTMLElement {
  const images = summary.imagesPerDay.reduce((sum, d) => sum + d.processed + d.failed, 0);
  const saved = summary.resizeSavings.reduce((sum, d) => sum + d.bytesSaved, 0);
  const skipped = summary.rekognitionCalls.reduce((sum, d) => sum + d.skipped, 0);
  const tile = (label: string, value: string) => h('div', { class: 'tile' }, h('dt', {}, label), h('dd', {}, value));
  return h(
    'dl',
    { class: 'tiles', 'data-testid': 'analytics-totals' },
    tile('Images', integer(images)),
    // Small uploads get variants (six files) that together outweigh them; say so rather than show a negative saving.
    saved >= 0
      ? tile('Saved by resizing', `${mb(saved).toLocaleString('en-US')} MB`)
      : tile('Variants beyond uploads', `${mb(-saved).toLocaleString('en-US')} MB`),
    tile('Rekognition calls avoided', integer(skipped)),
    tile('Estimated spend', usd(summary.spend.totalUsd)),
  );
}

/** Analytics: what was processed, how fast, how well and at what cost, for the caller (admins: everyone, or just theirs). */
export const analyticsPage: Page = (container, route) => {
  const days = WINDOWS.includes(Number(route.query.get('days'))) ? Number(route.query.get('days')) : 7;
  const mineOnly = route.query.get('owner') === 'mine';
  const version = route.query.get('version') ?? undefined;
  const charts: Chart[] = [];
  const status = h('p', { class: 'muted', role: 'status' }, 'Loading…');
  const body = h('div', {});
  const windowSelect = h(
    'select',
    { id: 'analytics-days' },
    ...WINDOWS.map((value) => h('option', { value: String(value), ...(value === days ? { selected: true } : {}) }, `Last ${value} days`)),
  );
  const ownerSelect = isAdmin()
    ? h(
        'select',
        { id: 'analytics-owner' },
        h('option', { value: 'all' }, 'Everyone'),
        h('option', { value: 'mine', ...(mineOnly ? { selected: true } : {}) }, 'Only mine'),
      )
    : null;
  // Filled with the versions the window's facts name once they load; the chosen one stays listed.
  const versionSelect = h(
    'select',
    { id: 'analytics-version' },
    h('option', { value: '' }, 'All versions'),
    ...(version ? [h('option', { value: version, selected: true }, version)] : []),
  );
  const change = () => {
    const owner = ownerSelect && ownerSelect.value === 'mine' ? 'mine' : undefined;
    location.hash = `#/analytics${queryString({ days: windowSelect.value, owner, version: versionSelect.value || undefined })}`;
  };
  windowSelect.addEventListener('change', change);
  ownerSelect?.addEventListener('change', change);
  versionSelect.addEventListener('change', change);
  replaceChildren(
    container,
    h('h1', {}, 'Analytics'),
    h(
      'p',
      { class: 'lead' },
      isAdmin() ? 'Every user’s images, or only yours.' : 'Your images: what was processed, how fast, and at what cost.',
    ),
    h(
      'form',
      { class: 'filters', on: { submit: (event) => event.preventDefault() } },
      h('div', { class: 'field' }, h('label', { for: 'analytics-days' }, 'Window'), windowSelect),
      ownerSelect ? h('div', { class: 'field' }, h('label', { for: 'analytics-owner' }, 'Whose images'), ownerSelect) : null,
      h('div', { class: 'field' }, h('label', { for: 'analytics-version' }, 'Pipeline version'), versionSelect),
    ),
    status,
    body,
  );
  let stopped = false;
  const load = async () => {
    const me = mineOnly ? (await api<{ sub: string }>('/me')).sub : undefined;
    const summary = await api<AnalyticsSummary>(`/analytics${queryString({ days, owner: me, version })}`);
    if (stopped) return;
    for (const name of summary.versions) if (name !== version) versionSelect.append(h('option', { value: name }, name));
    status.textContent = `${summary.days[0]} to ${summary.days[summary.days.length - 1]} (UTC)`;
    replaceChildren(body, totals(summary), h('div', { class: 'charts' }, ...chartSpecs(summary).map((spec) => figure(spec, charts))));
    container.dataset.loaded = 'true';
  };
  load().catch((error: Error) => {
    status.textContent = `Could not load the analytics: ${error.message}`;
  });
  return () => {
    stopped = true;
    for (const chart of charts) chart.destroy();
  };
};
