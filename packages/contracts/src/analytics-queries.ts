/**
 * The analytics questions (issue 15) as SQL over the `facts` table, and the answers as chart data: the ONE query layer
 * behind the API's /analytics route (Athena in the cloud, the local Athena on DuckDB), `npm run report` and the bench.
 * The SQL is Athena's (Trino) dialect; local mode gives DuckDB the few functions it lacks as macros. The template's
 * named queries are these queries over the last 7 days (a template test keeps them equal).
 */

import { PIPELINE_VERSION_PATTERN } from './ids';
import { PIPELINE_STEPS, type PipelineStep } from './step-durations';

/** The charts of the Analytics page, in page order. */
export const ANALYTICS_CHARTS = [
  'images-per-day',
  'top-labels',
  'failure-reasons',
  'run-latency',
  'step-latency',
  'resize-savings',
  'rekognition-calls',
  'input-volume-by-format',
] as const;

export type AnalyticsChart = (typeof ANALYTICS_CHARTS)[number];

/** Longest window the page, the API and the report accept. */
export const MAX_WINDOW_DAYS = 366;

/** A window of whole UTC days, both ends included, and whose facts it covers (one owner, or every owner). */
export interface AnalyticsScope {
  /** Every day of the window, oldest first (YYYY-MM-DD). */
  days: string[];
  /** Only this owner's facts; undefined = every owner (admins). */
  owner?: string;
  /** Only facts of this pipeline version (`unknown`: facts without one); undefined = every version. */
  version?: string;
}

/** The version a fact without one is counted under: it ran before facts carried it, or failed before it was resolved. */
export const UNKNOWN_VERSION = 'unknown';

/** A query with `?` placeholders and their values, in order (plain strings: each engine binds them its own way). */
export interface SqlQuery {
  sql: string;
  params: string[];
}

/** Rows as engines return them: column name to text (Athena returns every value as text) or null. */
export type SqlRow = Record<string, string | number | boolean | null>;

/** Runs one query over the `facts` table. */
export interface FactsEngine {
  query(query: SqlQuery): Promise<SqlRow[]>;
}

/** A window or filter the caller got wrong. */
export class AnalyticsInputError extends Error {
  override name = 'AnalyticsInputError';
}

/** How many labels the top-labels chart follows over time. */
export const TOP_LABEL_COUNT = 8;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The scope of a window: `days` whole days ending `today` (UTC), or `from`..`to` dates.
 * @throws AnalyticsInputError for a malformed date, a window ending before it starts, or one longer than MAX_WINDOW_DAYS.
 */
export function analyticsScope(window: {
  days?: number;
  from?: string;
  to?: string;
  today?: Date;
  owner?: string;
  version?: string;
}): AnalyticsScope {
  if (window.version !== undefined && window.version !== UNKNOWN_VERSION && !PIPELINE_VERSION_PATTERN.test(window.version))
    throw new AnalyticsInputError(
      `"version" must be a version name such as v2, or ${UNKNOWN_VERSION} (got "${window.version.slice(0, 40)}")`,
    );
  const today = window.today ?? new Date();
  const dayStart = (date: Date) => Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const parse = (name: string, text: string) => {
    const time = DAY.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
    if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== text)
      throw new AnalyticsInputError(`"${name}" must be a date like 2026-11-25 (got "${text}")`);
    return time;
  };
  let start: number;
  let end: number;
  if (window.from !== undefined || window.to !== undefined) {
    if (window.days !== undefined) throw new AnalyticsInputError('Give either "days" or "from"/"to", not both');
    end = window.to !== undefined ? parse('to', window.to) : dayStart(today);
    start = window.from !== undefined ? parse('from', window.from) : end - 6 * 86_400_000;
    if (start > end) throw new AnalyticsInputError(`"from" (${window.from}) must not be after "to" (${window.to ?? 'today'})`);
  } else {
    const days = window.days ?? 7;
    if (!Number.isInteger(days) || days < 1 || days > MAX_WINDOW_DAYS)
      throw new AnalyticsInputError(`"days" must be a whole number from 1 to ${MAX_WINDOW_DAYS} (got ${days})`);
    end = dayStart(today);
    start = end - (days - 1) * 86_400_000;
  }
  const count = Math.round((end - start) / 86_400_000) + 1;
  if (count > MAX_WINDOW_DAYS) throw new AnalyticsInputError(`The window may cover at most ${MAX_WINDOW_DAYS} days (got ${count})`);
  const days = Array.from({ length: count }, (_, index) => new Date(start + index * 86_400_000).toISOString().slice(0, 10));
  return {
    days,
    ...(window.owner !== undefined ? { owner: window.owner } : {}),
    ...(window.version !== undefined ? { version: window.version } : {}),
  };
}

/** The window predicate: bound dates for the API and report, or the named queries' fixed "last 7 days". */
type Window = { kind: 'bound'; scope: AnalyticsScope } | { kind: 'last7Days' };

function where(window: Window, factType?: string): SqlQuery {
  const parts: string[] = [];
  const params: string[] = [];
  if (factType) parts.push(`facttype = '${factType}'`);
  if (window.kind === 'last7Days') parts.push(`dt >= date_format(current_date - interval '6' day, '%Y-%m-%d')`);
  else {
    parts.push('dt BETWEEN ? AND ?');
    params.push(window.scope.days[0], window.scope.days[window.scope.days.length - 1]);
    if (window.scope.owner !== undefined) {
      parts.push('owner = ?');
      params.push(window.scope.owner);
    }
    if (window.scope.version !== undefined) {
      parts.push(`${VERSION_OF_FACT} = ?`);
      params.push(window.scope.version);
    }
  }
  return { sql: `WHERE ${parts.join(' AND ')}`, params };
}

/** Milliseconds from the upload's arrival to the result's event (the whole run: resize, analysis, store). */
const RUN_MS = '(to_unixtime(from_iso8601_timestamp(occurredat)) - to_unixtime(from_iso8601_timestamp(receivedat))) * 1000';

/** A fact's version: '' (no version on its event) and null (fact older than the field) both count as unknown. */
const VERSION_OF_FACT = `coalesce(nullif(pipelineversion, ''), '${UNKNOWN_VERSION}')`;

/** What the step-latency chart measures: each timed step (its own time), then the whole run. */
export const LATENCY_STEPS = [...PIPELINE_STEPS, 'run'] as const;
export type LatencyStep = PipelineStep | 'run';

/** The SQL of one latency step's milliseconds: the fact's `<step>ms` column, or the whole run's time. */
const latencyMs = (step: LatencyStep) => (step === 'run' ? RUN_MS : `${step.toLowerCase()}ms`);

function chartSql(chart: AnalyticsChart, window: Window): SqlQuery {
  switch (chart) {
    case 'images-per-day': {
      const w = where(window);
      return {
        sql: `SELECT dt AS day, count_if(facttype = 'processed') AS processed, count_if(facttype = 'failed') AS failed, count_if(facttype = 'flagged') AS flagged FROM facts ${w.sql} GROUP BY dt ORDER BY dt`,
        params: w.params,
      };
    }
    case 'top-labels': {
      const w = where(window, 'processed');
      return {
        // One scan: count per day and label, then rank the labels by their window total and keep the first few. The
        // rows are filtered before the UNNEST (DuckDB otherwise unnests every fact first: 100x slower).
        sql: `WITH per_day AS (SELECT f.dt AS day, label.name AS label, count(*) AS images FROM (SELECT dt, labels FROM facts ${w.sql}) AS f CROSS JOIN UNNEST(f.labels) AS t(label) GROUP BY f.dt, label.name), ranked AS (SELECT day, label, images, dense_rank() OVER (ORDER BY total DESC, label) AS label_rank FROM (SELECT day, label, images, sum(images) OVER (PARTITION BY label) AS total FROM per_day)) SELECT day, label, images FROM ranked WHERE label_rank <= ${TOP_LABEL_COUNT} ORDER BY day, label`,
        params: w.params,
      };
    }
    case 'failure-reasons': {
      const w = where(window, 'failed');
      return {
        sql: `SELECT failurereason AS reason, count(*) AS images FROM facts ${w.sql} GROUP BY failurereason ORDER BY images DESC, reason`,
        params: w.params,
      };
    }
    case 'run-latency': {
      const w = where(window);
      return {
        // One array percentile (one sketch) instead of three.
        sql: `SELECT day, images, p[1] AS p50, p[2] AS p95, p[3] AS p99 FROM (SELECT dt AS day, count(*) AS images, approx_percentile(ms, ARRAY[0.5, 0.95, 0.99]) AS p FROM (SELECT dt, ${RUN_MS} AS ms FROM facts ${w.sql} AND facttype IN ('processed', 'failed')) AS runs GROUP BY dt) AS stats ORDER BY day`,
        params: w.params,
      };
    }
    case 'step-latency': {
      const w = where(window);
      // One array percentile per step (one sketch for p50 and p95) and no per-version grouping: that halved this
      // query's time on DuckDB (bench). The versions the rows name come along, for the page's version filter.
      const columns = LATENCY_STEPS.map((step) => `${latencyMs(step)} AS ${step.toLowerCase()}_ms`).join(', ');
      const stats = LATENCY_STEPS.map((step) => {
        const key = step.toLowerCase();
        return `count(${key}_ms) AS ${key}_n, approx_percentile(${key}_ms, ARRAY[0.5, 0.95]) AS ${key}_p`;
      }).join(', ');
      const picks = LATENCY_STEPS.map((step) => {
        const key = step.toLowerCase();
        return `${key}_n, ${key}_p[1] AS ${key}_p50, ${key}_p[2] AS ${key}_p95`;
      }).join(', ');
      return {
        sql: `SELECT versions, runs, ${picks} FROM (SELECT array_join(array_agg(DISTINCT version), ',') AS versions, count(*) AS runs, ${stats} FROM (SELECT ${VERSION_OF_FACT} AS version, ${columns} FROM facts ${w.sql} AND facttype IN ('processed', 'failed')) AS runs) AS stats`,
        params: w.params,
      };
    }
    case 'resize-savings': {
      const w = where(window, 'processed');
      return {
        sql: `SELECT dt AS day, count(*) AS images, sum(bytesin) AS bytes_in, sum(bytesout) AS bytes_out FROM facts ${w.sql} AND bytesout IS NOT NULL GROUP BY dt ORDER BY dt`,
        params: w.params,
      };
    }
    case 'rekognition-calls': {
      const w = where(window, 'processed');
      return {
        sql: `SELECT dt AS day, count(*) AS images, count_if(analysed) AS analysed, count_if(NOT analysed) AS not_analysed, coalesce(sum(rekognitioncalls), 0) AS calls, coalesce(sum(rekognitionskipped), 0) AS skipped FROM facts ${w.sql} GROUP BY dt ORDER BY dt`,
        params: w.params,
      };
    }
    case 'input-volume-by-format': {
      const w = where(window, 'processed');
      return {
        sql: `SELECT format, count(*) AS images, sum(bytesin) AS bytes_in, round(sum(CAST(width AS double) * height) / 1e6, 1) AS megapixels FROM facts ${w.sql} GROUP BY format ORDER BY images DESC, format`,
        params: w.params,
      };
    }
  }
}

/** The query of one chart over a scope. */
export function chartQuery(chart: AnalyticsChart, scope: AnalyticsScope): SqlQuery {
  return chartSql(chart, { kind: 'bound', scope });
}

/** The query of one chart over the last 7 days with no parameters: the template's named query of that name. */
export function namedQueryText(chart: AnalyticsChart): string {
  return chartSql(chart, { kind: 'last7Days' }).sql;
}

/**
 * Estimated spend: list prices, us-east-1, first tier (bench/cost/prices.ts, checked 2026-11-25; `npm run cost`).
 * Per Rekognition call (Group 2 API) and per image for the rest of the pipeline (Lambda, Step Functions, S3, DynamoDB,
 * events and notifications: about $0.30-0.32 per 1,000 images in `npm run cost`). DetectLabels' Image Properties
 * feature is left out: it is off by default (sharp measures colours and quality) and the facts do not say whether a
 * version turned it on, so charging it on every analysed image overstated the default spend by half.
 */
export const SPEND_PRICES = Object.freeze({
  usdPerRekognitionCall: 0.001,
  usdPerImagePipeline: 0.00032,
  source: 'AWS list prices, us-east-1, first volume tier, checked 2026-11-25 (npm run cost)',
});

export interface AnalyticsSummary {
  /** The window, oldest day first; every per-day series has one entry per day (a day without facts is zeros). */
  days: string[];
  /** Whose facts: one owner's, or every owner's (`all`, admins only). */
  owner: string;
  /** Which pipeline version's facts: one version, `unknown`, or every version (`all`). */
  version: string;
  imagesPerDay: Array<{ day: string; processed: number; failed: number; flagged: number }>;
  /** The most frequent labels of the window, and how many images had each on each day. */
  topLabels: { labels: string[]; perDay: Array<{ day: string; counts: Record<string, number> }> };
  failureReasons: Array<{ reason: string; images: number }>;
  /** Upload received to result event, milliseconds; null on a day without runs. */
  runLatency: Array<{ day: string; images: number; p50: number | null; p95: number | null; p99: number | null }>;
  /** The pipeline versions the window's runs name (`unknown`: runs without one), for a version filter. */
  versions: string[];
  /**
   * Each step's own time and the whole run's, p50/p95 in ms over the window (the scope's version, or all). `timed`
   * counts the runs with a time for that step (null times: the step did not run, failed, or the fact predates step
   * times); p50/p95 are null when none was timed.
   */
  stepLatency: { runs: number; steps: Array<{ step: LatencyStep; timed: number; p50: number | null; p95: number | null }> };
  resizeSavings: Array<{ day: string; images: number; bytesIn: number; bytesOut: number; bytesSaved: number }>;
  rekognitionCalls: Array<{ day: string; images: number; analysed: number; notAnalysed: number; calls: number; skipped: number }>;
  inputVolume: Array<{ format: string; images: number; bytesIn: number; megapixels: number }>;
  spend: {
    perDay: Array<{ day: string; rekognitionUsd: number; pipelineUsd: number; totalUsd: number; avoidedUsd: number }>;
    totalUsd: number;
    avoidedUsd: number;
    prices: typeof SPEND_PRICES;
  };
}

const num = (value: unknown) => (value === null || value === undefined || value === '' ? 0 : Number(value));
const numOrNull = (value: unknown) => (value === null || value === undefined || value === '' ? null : Math.round(Number(value)));
const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

/** Per-day rows keyed by day, so the window's missing days become zeros. */
function byDay(rows: SqlRow[]): Map<string, SqlRow> {
  return new Map(rows.map((row) => [String(row.day), row]));
}

/** The step-latency row as the summary gives it (a window without runs: zeros and nulls). */
function stepLatencyOf(row: SqlRow | undefined): AnalyticsSummary['stepLatency'] {
  return {
    runs: num(row?.runs),
    steps: LATENCY_STEPS.map((step) => {
      const key = step.toLowerCase();
      return { step, timed: num(row?.[`${key}_n`]), p50: numOrNull(row?.[`${key}_p50`]), p95: numOrNull(row?.[`${key}_p95`]) };
    }),
  };
}

/** Runs every chart's query on `engine` and shapes the answers: the whole Analytics page in one object. */
export async function summariseFacts(engine: FactsEngine, scope: AnalyticsScope): Promise<AnalyticsSummary> {
  const rows = Object.fromEntries(
    await Promise.all(ANALYTICS_CHARTS.map(async (chart) => [chart, await engine.query(chartQuery(chart, scope))] as const)),
  ) as Record<AnalyticsChart, SqlRow[]>;
  const perDay = byDay(rows['images-per-day']);
  const latency = byDay(rows['run-latency']);
  const savings = byDay(rows['resize-savings']);
  const calls = byDay(rows['rekognition-calls']);
  const labelCounts = new Map<string, number>();
  for (const row of rows['top-labels']) labelCounts.set(String(row.label), (labelCounts.get(String(row.label)) ?? 0) + num(row.images));
  const labels = [...labelCounts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([label]) => label);
  const labelRows = new Map<string, Record<string, number>>();
  for (const row of rows['top-labels']) {
    const counts = labelRows.get(String(row.day)) ?? {};
    counts[String(row.label)] = num(row.images);
    labelRows.set(String(row.day), counts);
  }
  const imagesPerDay = scope.days.map((day) => ({
    day,
    processed: num(perDay.get(day)?.processed),
    failed: num(perDay.get(day)?.failed),
    flagged: num(perDay.get(day)?.flagged),
  }));
  const rekognitionCalls = scope.days.map((day) => {
    const row = calls.get(day);
    return {
      day,
      images: num(row?.images),
      analysed: num(row?.analysed),
      notAnalysed: num(row?.not_analysed),
      calls: num(row?.calls),
      skipped: num(row?.skipped),
    };
  });
  const spendPerDay = scope.days.map((day, index) => {
    const day_ = rekognitionCalls[index];
    const images = imagesPerDay[index].processed + imagesPerDay[index].failed;
    const rekognitionUsd = day_.calls * SPEND_PRICES.usdPerRekognitionCall;
    const pipelineUsd = images * SPEND_PRICES.usdPerImagePipeline;
    return {
      day,
      rekognitionUsd: round6(rekognitionUsd),
      pipelineUsd: round6(pipelineUsd),
      totalUsd: round6(rekognitionUsd + pipelineUsd),
      avoidedUsd: round6(day_.skipped * SPEND_PRICES.usdPerRekognitionCall),
    };
  });
  return {
    days: scope.days,
    owner: scope.owner ?? 'all',
    version: scope.version ?? 'all',
    imagesPerDay,
    topLabels: {
      labels,
      perDay: scope.days.map((day) => ({
        day,
        counts: Object.fromEntries(labels.map((label) => [label, labelRows.get(day)?.[label] ?? 0])),
      })),
    },
    failureReasons: rows['failure-reasons'].map((row) => ({ reason: String(row.reason), images: num(row.images) })),
    runLatency: scope.days.map((day) => {
      const row = latency.get(day);
      return { day, images: num(row?.images), p50: numOrNull(row?.p50), p95: numOrNull(row?.p95), p99: numOrNull(row?.p99) };
    }),
    versions: String(rows['step-latency'][0]?.versions ?? '')
      .split(',')
      .filter(Boolean)
      .sort(),
    stepLatency: stepLatencyOf(rows['step-latency'][0]),
    resizeSavings: scope.days.map((day) => {
      const row = savings.get(day);
      const bytesIn = num(row?.bytes_in);
      const bytesOut = num(row?.bytes_out);
      return { day, images: num(row?.images), bytesIn, bytesOut, bytesSaved: bytesIn - bytesOut };
    }),
    rekognitionCalls,
    inputVolume: rows['input-volume-by-format'].map((row) => ({
      format: String(row.format),
      images: num(row.images),
      bytesIn: num(row.bytes_in),
      megapixels: num(row.megapixels),
    })),
    spend: {
      perDay: spendPerDay,
      totalUsd: round6(spendPerDay.reduce((sum, day) => sum + day.totalUsd, 0)),
      avoidedUsd: round6(spendPerDay.reduce((sum, day) => sum + day.avoidedUsd, 0)),
      prices: SPEND_PRICES,
    },
  };
}
