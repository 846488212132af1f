import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { yamlParse } from 'yaml-cfn';

/**
 * Local analytics: the facts the local delivery stream wrote (JSON lines, one folder per day) queried with DuckDB,
 * embedded through npm (no server). The queries are the template's AWS::Athena::NamedQuery resources, run as written:
 * one macro gives DuckDB Athena's `date_format`, and the window of `interval '6' day` (7 days) is the one thing
 * replaced, by the window asked for.
 */

/** DuckDB types of the fact columns (packages/contracts analyticsFactSchema v1; the Glue table declares the same). */
const FACT_COLUMNS: Record<string, string> = {
  schemaVersion: 'INTEGER',
  factType: 'VARCHAR',
  eventId: 'VARCHAR',
  occurredAt: 'VARCHAR',
  imageId: 'VARCHAR',
  revision: 'VARCHAR',
  owner: 'VARCHAR',
  receivedAt: 'VARCHAR',
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
};

/** The template's analytics questions, by name. */
export function namedQueries(templateFile: string): Map<string, string> {
  const template = yamlParse(readFileSync(templateFile, 'utf8')) as {
    Resources: Record<string, { Type: string; Properties?: { Name: string; QueryString: string } }>;
  };
  return new Map(
    Object.values(template.Resources)
      .filter((resource) => resource.Type === 'AWS::Athena::NamedQuery')
      .map((resource) => [resource.Properties!.Name, resource.Properties!.QueryString]),
  );
}

/** Where the local delivery stream keeps the facts: <dataDir>/firehose/<stream>/dt=YYYY-MM-DD/records.jsonl. */
export function factFiles(dataDir: string, streamSuffix = 'AnalyticsDeliveryStream'): string[] {
  const root = join(dataDir, 'firehose');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((stream) => stream.endsWith(streamSuffix))
    .flatMap((stream) =>
      readdirSync(join(root, stream))
        .filter((day) => /^dt=\d{4}-\d{2}-\d{2}$/.test(day))
        .map((day) => join(root, stream, day, 'records.jsonl'))
        .filter((file) => existsSync(file)),
    );
}

const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;

export interface FactsDb {
  /** Runs a named query over the last `days` days (today included); rows as JSON-safe objects. */
  run(name: string, days: number): Promise<Array<Record<string, unknown>>>;
  close(): void;
}

/** Opens an in-memory DuckDB with a `facts` view over the given JSON-lines files (an empty table when there are none). */
export async function openFactsDb(files: string[], queries: Map<string, string>): Promise<FactsDb> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection: DuckDBConnection = await instance.connect();
  await connection.run('CREATE MACRO date_format(d, f) AS strftime(d, f)');
  const columns = Object.entries(FACT_COLUMNS);
  if (files.length === 0) {
    await connection.run(`CREATE TABLE facts (${columns.map(([name, type]) => `"${name}" ${type}`).join(', ')}, dt VARCHAR)`);
  } else {
    const columnSpec = `{${columns.map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`).join(', ')}}`;
    await connection.run(
      `CREATE VIEW facts AS SELECT * FROM read_json([${files.map(sqlString).join(', ')}], format = 'newline_delimited', hive_partitioning = true, hive_types = {'dt': 'VARCHAR'}, columns = ${columnSpec})`,
    );
  }
  return {
    async run(name, days) {
      const text = queries.get(name);
      if (text === undefined) throw new Error(`No named query "${name}" in the template (${[...queries.keys()].join(', ')})`);
      if (!Number.isInteger(days) || days < 1) throw new Error(`The window must be a whole number of days, at least 1 (got ${days})`);
      if (!text.includes("interval '6' day")) throw new Error(`Named query "${name}" has no 7-day window to replace`);
      const reader = await connection.runAndReadAll(text.replaceAll("interval '6' day", `interval '${days - 1}' day`));
      return reader.getRowObjectsJson() as Array<Record<string, unknown>>;
    },
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
