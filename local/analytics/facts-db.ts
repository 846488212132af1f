import { closeSync, existsSync, openSync, readSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { FactsEngine, SqlQuery, SqlRow } from '@smart-image-pipeline/contracts';

/**
 * Local analytics storage and engine: the facts the local delivery stream writes (JSON lines, one folder per UTC day)
 * queried with DuckDB, embedded through npm (no server). Every past day is compacted once into one Parquet file in its
 * folder (as Firehose writes Parquet in the cloud), so a query reads compressed columns instead of parsing lines again;
 * today's JSON lines (the stream still appends to them) are loaded into an in-memory table incrementally: each query
 * parses only the lines appended since the last one. The queries are the shared query
 * layer's (packages/contracts analytics-queries), in Athena's dialect: macros give DuckDB the functions it lacks.
 */

/**
 * DuckDB types of the fact columns (packages/contracts analyticsFactSchema v1; the Glue table declares the same, except
 * the two times: kept as timestamps here, parsed once when a line is loaded instead of at every latency query).
 */
export const FACT_COLUMNS: Record<string, string> = {
  schemaVersion: 'INTEGER',
  factType: 'VARCHAR',
  eventId: 'VARCHAR',
  occurredAt: 'TIMESTAMPTZ',
  imageId: 'VARCHAR',
  revision: 'VARCHAR',
  owner: 'VARCHAR',
  receivedAt: 'TIMESTAMPTZ',
  status: 'VARCHAR',
  format: 'VARCHAR',
  width: 'INTEGER',
  height: 'INTEGER',
  bytesIn: 'BIGINT',
  bytesOut: 'BIGINT',
  analysed: 'BOOLEAN',
  rekognitionCalls: 'INTEGER',
  rekognitionSkipped: 'INTEGER',
  labels: 'STRUCT(name VARCHAR, confidence DOUBLE)[]',
  moderated: 'BOOLEAN',
  faceCount: 'INTEGER',
  failureReason: 'VARCHAR',
  moderationLabels: 'STRUCT(name VARCHAR, confidence DOUBLE, parentName VARCHAR)[]',
  pipelineVersion: 'VARCHAR',
  resolveVersionMs: 'INTEGER',
  resizeMs: 'INTEGER',
  analyseMs: 'INTEGER',
  transcodeMs: 'INTEGER',
  videoAnalysisMs: 'INTEGER',
  storeMs: 'INTEGER',
};

/** Athena (Trino) functions the shared queries use that DuckDB names differently. */
const ATHENA_MACROS = [
  'CREATE MACRO date_format(d, f) AS strftime(d, f)',
  'CREATE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)',
  'CREATE MACRO to_unixtime(t) AS epoch_ms(t) / 1000.0',
  // Reservoir sampling (8,192 values per group, exact below that) instead of DuckDB's t-digest approx_quantile: 2-4x
  // faster on the step-latency chart's five columns over 200 k facts (bench), within ~1 % of the exact percentile.
  'CREATE MACRO approx_percentile(x, q) AS reservoir_quantile(x, q, 8192)',
  'CREATE MACRO array_join(l, sep) AS array_to_string(l, sep)',
];

const JSON_LINES = 'records.jsonl';
/** A day's JSON lines while they are being compacted: the stream starts a new records.jsonl if it writes late. */
const COMPACTING = 'records.jsonl.compacting';
const PARQUET = 'facts.parquet';
const DAY_FOLDER = /^dt=(\d{4}-\d{2}-\d{2})$/;

/** The local delivery streams' folders of analytics facts: <dataDir>/firehose/<stack>-AnalyticsDeliveryStream. */
export function factStreamFolders(dataDir: string, streamSuffix = 'AnalyticsDeliveryStream'): string[] {
  const root = join(dataDir, 'firehose');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((stream) => stream.endsWith(streamSuffix))
    .map((stream) => join(root, stream));
}

interface DayFiles {
  day: string;
  folder: string;
  parquet?: string;
  jsonLines: string[];
}

/** Every day folder of the streams with the files in it. */
function listDays(streamFolders: string[]): DayFiles[] {
  return streamFolders.flatMap((stream) =>
    readdirSync(stream)
      .map((name) => ({ name, day: DAY_FOLDER.exec(name)?.[1] }))
      .filter((entry): entry is { name: string; day: string } => entry.day !== undefined)
      .map(({ name, day }) => {
        const folder = join(stream, name);
        const files = new Set(readdirSync(folder));
        return {
          day,
          folder,
          ...(files.has(PARQUET) ? { parquet: join(folder, PARQUET) } : {}),
          jsonLines: [COMPACTING, JSON_LINES].filter((file) => files.has(file)).map((file) => join(folder, file)),
        };
      }),
  );
}

const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;
const list = (files: string[]) => `[${files.map(sqlString).join(', ')}]`;
const JSON_COLUMNS = `{${Object.entries(FACT_COLUMNS)
  .map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`)
  .join(', ')}}`;
const readJsonLines = (files: string[], hive: boolean) =>
  `SELECT * FROM read_json(${list(files)}, format = 'newline_delimited', columns = ${JSON_COLUMNS}${
    hive ? ", hive_partitioning = true, hive_types = {'dt': 'VARCHAR'}" : ''
  })`;
const readParquet = (files: string[], hive: boolean) =>
  `SELECT * FROM read_parquet(${list(files)}, union_by_name = true${hive ? ", hive_partitioning = true, hive_types = {'dt': 'VARCHAR'}" : ''})`;

/** A local facts engine: the shared queries over the facts folder, plus the compaction it runs before each query. */
export interface LocalFactsEngine extends FactsEngine {
  /** Compacts every past day that still has JSON lines; returns how many days it compacted. */
  compact(): Promise<number>;
  close(): void;
}

/**
 * Opens DuckDB (in memory) over the facts of `dataDir`. Before each query, past days that still have JSON lines are
 * compacted (a day ends at UTC midnight: the stream then writes to the next folder), new lines are loaded and the
 * `facts` view is rebuilt when the set of files changed (one at a time); then each query runs on its own connection.
 */
export async function openFactsEngine(dataDir: string, options: { now?: () => Date } = {}): Promise<LocalFactsEngine> {
  const now = options.now ?? (() => new Date());
  const instance = await DuckDBInstance.create(':memory:');
  const connection: DuckDBConnection = await instance.connect();
  for (const macro of ATHENA_MACROS) await connection.run(macro);
  // Today's facts, loaded line by line as they arrive; its columns are every fact column, so the view always has
  // them all (even when no Parquet file has a newer column yet).
  const columns = `${Object.entries(FACT_COLUMNS)
    .map(([name, type]) => `"${name}" ${type}`)
    .join(', ')}, dt VARCHAR`;
  await connection.run(`CREATE TABLE live_facts (${columns})`);
  await connection.run(`CREATE TABLE fact_columns (${columns})`);
  let viewKey: string | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  /** Rewrites one past day as Parquet: the old Parquet (if any) plus its JSON lines, one row per event id. */
  async function compactDay(day: DayFiles): Promise<void> {
    const live = join(day.folder, JSON_LINES);
    const compacting = join(day.folder, COMPACTING);
    if (existsSync(live) && !existsSync(compacting)) renameSync(live, compacting);
    const sources = ['SELECT * EXCLUDE (dt) FROM fact_columns'];
    if (day.parquet) sources.push(readParquet([day.parquet], false));
    if (existsSync(compacting)) sources.push(readJsonLines([compacting], false));
    const temporary = join(day.folder, `${PARQUET}.tmp`);
    await connection.run(
      `COPY (SELECT * FROM (${sources.join(' UNION ALL BY NAME ')}) QUALIFY row_number() OVER (PARTITION BY eventId) = 1) TO ${sqlString(
        temporary,
      )} (FORMAT parquet, COMPRESSION zstd)`,
    );
    renameSync(temporary, join(day.folder, PARQUET));
    rmSync(compacting, { force: true });
  }

  async function compact(): Promise<number> {
    const today = now().toISOString().slice(0, 10);
    const due = listDays(factStreamFolders(dataDir)).filter((day) => day.day < today && day.jsonLines.length > 0);
    for (const day of due) await compactDay(day);
    return due.length;
  }

  /** Bytes of each JSON-lines file already loaded into `live_facts` (whole lines only). */
  const loaded = new Map<string, { day: string; offset: number }>();
  const tail = join(tmpdir(), `sip-facts-tail-${process.pid}-${Math.random().toString(36).slice(2)}.jsonl`);

  /** Loads the lines appended to the JSON-lines files since the last query; forgets files that were compacted away. */
  async function loadNewLines(days: DayFiles[]): Promise<void> {
    const present = new Map(days.flatMap((day) => day.jsonLines.map((file) => [file, day.day] as const)));
    for (const [file, { day }] of loaded) {
      if (present.has(file)) continue;
      loaded.delete(file);
      await connection.run('DELETE FROM live_facts WHERE dt = ?', [day]);
      for (const [other, entry] of loaded) if (entry.day === day) loaded.set(other, { day, offset: 0 });
    }
    for (const [file, day] of present) {
      const offset = loaded.get(file)?.offset ?? 0;
      const size = statSync(file).size;
      if (size <= offset) continue;
      const buffer = Buffer.alloc(size - offset);
      const handle = openSync(file, 'r');
      try {
        readSync(handle, buffer, 0, buffer.length, offset);
      } finally {
        closeSync(handle);
      }
      // Only whole lines: the stream may be half-way through appending the last one.
      const end = buffer.lastIndexOf(0x0a) + 1;
      if (end === 0) continue;
      writeFileSync(tail, buffer.subarray(0, end));
      await connection.run(`INSERT INTO live_facts BY NAME SELECT *, ? AS dt FROM (${readJsonLines([tail], false)})`, [day]);
      loaded.set(file, { day, offset: offset + end });
    }
  }

  /** Points the `facts` view at the past days' Parquet files and today's loaded lines. */
  async function refreshView(): Promise<void> {
    const days = listDays(factStreamFolders(dataDir));
    await loadNewLines(days);
    const parquet = days.flatMap((day) => (day.parquet ? [day.parquet] : []));
    const key = JSON.stringify(parquet);
    if (key === viewKey) return;
    const sources = ['SELECT * FROM live_facts'];
    if (parquet.length > 0) sources.push(readParquet(parquet, true));
    await connection.run(`CREATE OR REPLACE VIEW facts AS ${sources.join(' UNION ALL BY NAME ')}`);
    viewKey = key;
  }

  return {
    compact: () => serial(compact),
    async query(query: SqlQuery) {
      await serial(async () => {
        await compact();
        await refreshView();
      });
      // Each query on its own connection, so the page's charts run side by side instead of queueing.
      const reading = await instance.connect();
      try {
        const reader = await reading.runAndReadAll(query.sql, query.params);
        return reader.getRowObjectsJson() as SqlRow[];
      } finally {
        reading.closeSync();
      }
    },
    close: () => {
      connection.closeSync();
      instance.closeSync();
      rmSync(tail, { force: true });
    },
  };
}
