import { randomUUID } from 'node:crypto';
import type { SqlRow } from '@smart-image-pipeline/contracts';
import { openFactsEngine, type LocalFactsEngine } from '../../analytics/facts-db';
import { AwsServiceError } from '../../edge/aws-error';
import { awsJsonProtocol } from '../../edge/protocols/aws-json';
import { matchTarget } from '../../edge/router';
import type { EdgeRequest, EdgeResponse, EdgeService } from '../../edge/types';

/** Athena's JSON 1.1 protocol. */
const ATHENA_JSON = awsJsonProtocol({ version: '1.1', namespace: 'com.amazonaws.athena' });

const invalid = (message: string) => new AwsServiceError('InvalidRequestException', 400, message);

/** How many finished queries the service remembers (their results are read once, right after). */
const KEPT_QUERIES = 200;

interface QueryRecord {
  id: string;
  sql: string;
  workGroup: string;
  database: string;
  submitted: Date;
  completed?: Date;
  state: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  reason?: string;
  rows?: SqlRow[];
}

/**
 * An execution parameter as Athena takes it: a SQL literal. Strings come quoted ('2026-11-25', a quote doubled inside);
 * bare numbers and true/false are accepted too. Anything else is refused, as Athena would fail to parse it.
 */
function parameterValue(literal: unknown): string {
  if (typeof literal !== 'string') throw invalid('ExecutionParameters must be strings');
  const quoted = /^'((?:[^']|'')*)'$/.exec(literal);
  if (quoted) return quoted[1].replace(/''/g, "'");
  if (/^-?\d+(\.\d+)?$|^(true|false)$/i.test(literal)) return literal;
  throw invalid(`Execution parameter ${literal} is not a SQL literal (quote strings: '${literal}')`);
}

/** The local Athena: an edge service answering queries over the analytics facts with DuckDB. */
export interface LocalAthenaService extends EdgeService {
  close(): void;
}

/**
 * The local stand-in for Athena: StartQueryExecution, GetQueryExecution and GetQueryResults (JSON 1.1), answering
 * every query over the `facts` table of the local delivery streams' folder with DuckDB (local/analytics/facts-db),
 * whatever the workgroup and database (local mode has one facts table). The engine opens on the first query.
 */
export function createAthenaService(options: { dataDir: string }): LocalAthenaService {
  const queries = new Map<string, QueryRecord>();
  let engine: Promise<LocalFactsEngine> | undefined;

  const start = (input: Record<string, unknown>) => {
    const sql = input.QueryString;
    if (typeof sql !== 'string' || sql.trim() === '') throw invalid('QueryString is required');
    const params = ((input.ExecutionParameters as unknown[] | undefined) ?? []).map(parameterValue);
    const record: QueryRecord = {
      id: randomUUID(),
      sql,
      workGroup: typeof input.WorkGroup === 'string' ? input.WorkGroup : 'primary',
      database: String((input.QueryExecutionContext as { Database?: string } | undefined)?.Database ?? 'default'),
      submitted: new Date(),
      state: 'RUNNING',
    };
    queries.set(record.id, record);
    for (const id of [...queries.keys()].slice(0, Math.max(0, queries.size - KEPT_QUERIES))) queries.delete(id);
    engine ??= openFactsEngine(options.dataDir);
    void engine
      .then((facts) => facts.query({ sql, params }))
      .then(
        (rows) => Object.assign(record, { state: 'SUCCEEDED', rows, completed: new Date() }),
        (error: Error) => Object.assign(record, { state: 'FAILED', reason: error.message, completed: new Date() }),
      );
    return { QueryExecutionId: record.id };
  };

  const find = (input: Record<string, unknown>) => {
    const record = queries.get(String(input.QueryExecutionId ?? ''));
    if (!record) throw invalid(`QueryExecution ${String(input.QueryExecutionId)} was not found`);
    return record;
  };

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    StartQueryExecution: start,
    GetQueryExecution: (input) => {
      const record = find(input);
      return {
        QueryExecution: {
          QueryExecutionId: record.id,
          Query: record.sql,
          StatementType: 'DML',
          WorkGroup: record.workGroup,
          QueryExecutionContext: { Database: record.database },
          Status: {
            State: record.state,
            SubmissionDateTime: record.submitted.getTime() / 1000,
            ...(record.completed ? { CompletionDateTime: record.completed.getTime() / 1000 } : {}),
            ...(record.reason ? { StateChangeReason: record.reason } : {}),
          },
        },
      };
    },
    GetQueryResults: (input) => {
      const record = find(input);
      if (record.state !== 'SUCCEEDED')
        throw invalid(`Query has not yet finished. Current state: ${record.state}${record.reason ? ` (${record.reason})` : ''}`);
      const rows = record.rows ?? [];
      const columns = rows.length > 0 ? Object.keys(rows[0]) : [];
      const max = Math.min(Math.max(Number(input.MaxResults ?? 1000) || 1000, 1), 1000);
      const first = input.NextToken === undefined ? 0 : Number(input.NextToken);
      if (!Number.isInteger(first) || first < 0) throw invalid('NextToken is not valid');
      // As in Athena, the first page starts with a row of the column names and counts it against MaxResults.
      const header = first === 0 ? [{ Data: columns.map((name) => ({ VarCharValue: name })) }] : [];
      const take = max - header.length;
      const page = rows.slice(first, first + take).map((row) => ({
        Data: columns.map((name) => (row[name] === null || row[name] === undefined ? {} : { VarCharValue: String(row[name]) })),
      }));
      const next = first + take;
      return {
        ResultSet: {
          Rows: [...header, ...page],
          ResultSetMetadata: { ColumnInfo: columns.map((name) => ({ Name: name, Label: name, Type: 'varchar' })) },
        },
        ...(next < rows.length ? { NextToken: String(next) } : {}),
        UpdateCount: 0,
      };
    },
  };

  const handle = async (req: EdgeRequest): Promise<EdgeResponse> => {
    const operation = (req.target ?? '').slice('AmazonAthena.'.length);
    const run = operations[operation];
    if (!run) throw invalid(`Local Athena does not implement ${operation}`);
    return ATHENA_JSON.ok(await run(ATHENA_JSON.parseBody(req)));
  };

  return {
    name: 'athena',
    protocol: ATHENA_JSON,
    matches: matchTarget('AmazonAthena.'),
    handle,
    close: () => {
      void engine?.then((facts) => facts.close());
    },
  };
}
