import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  type AthenaClient,
  type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-athena';
import type { FactsEngine, SqlQuery, SqlRow } from '@smart-image-pipeline/contracts';

/** Where the facts table lives and how long a query may take. */
export interface AthenaFactsOptions {
  workGroup: string;
  database: string;
  /** First wait between status checks; it grows by half up to 1 s. */
  pollMs?: number;
  /** A query still running after this long is given up (API Gateway answers in at most 30 s). */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** A query Athena did not finish: failed, cancelled or too slow. */
export class AnalyticsQueryError extends Error {
  override name = 'AnalyticsQueryError';
}

/**
 * Execution parameters are SQL literals in Athena: a string value goes in single quotes (a quote inside doubled).
 * The query layer passes dates and owner ids only, both already validated.
 */
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * The facts engine of the cloud: each query runs in the stack's Athena workgroup (whose settings put the results,
 * encrypted, in the analytics bucket) over the Glue `facts` table, with the scope bound as execution parameters.
 */
export function createAthenaFactsEngine(athena: Pick<AthenaClient, 'send'>, options: AthenaFactsOptions): FactsEngine {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const timeoutMs = options.timeoutMs ?? 25_000;

  async function waitFor(queryExecutionId: string): Promise<void> {
    const started = Date.now();
    for (let wait = options.pollMs ?? 50; ; wait = Math.min(Math.round(wait * 1.5), 1000)) {
      const { QueryExecution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: queryExecutionId }));
      const state = QueryExecution?.Status?.State;
      if (state === 'SUCCEEDED') return;
      if (state === 'FAILED' || state === 'CANCELLED')
        throw new AnalyticsQueryError(
          `Athena query ${queryExecutionId} ${state}: ${QueryExecution?.Status?.StateChangeReason ?? 'no reason given'}`,
        );
      if (Date.now() - started > timeoutMs)
        throw new AnalyticsQueryError(`Athena query ${queryExecutionId} still ${state} after ${timeoutMs} ms`);
      await sleep(wait);
    }
  }

  return {
    async query(query: SqlQuery): Promise<SqlRow[]> {
      const { QueryExecutionId } = await athena.send(
        new StartQueryExecutionCommand({
          QueryString: query.sql,
          QueryExecutionContext: { Database: options.database },
          WorkGroup: options.workGroup,
          ...(query.params.length > 0 ? { ExecutionParameters: query.params.map(literal) } : {}),
        }),
      );
      if (!QueryExecutionId) throw new AnalyticsQueryError('Athena returned no query execution id');
      await waitFor(QueryExecutionId);
      const rows: SqlRow[] = [];
      let columns: string[] | undefined;
      let nextToken: string | undefined;
      do {
        const page: GetQueryResultsCommandOutput = await athena.send(
          new GetQueryResultsCommand({ QueryExecutionId, NextToken: nextToken, MaxResults: 1000 }),
        );
        columns ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((column) => column.Name ?? '');
        const data = page.ResultSet?.Rows ?? [];
        // The first row of the first page repeats the column names (SELECT results).
        for (const [index, row] of data.entries()) {
          if (nextToken === undefined && index === 0) continue;
          rows.push(Object.fromEntries(columns.map((name, at) => [name, row.Data?.[at]?.VarCharValue ?? null])));
        }
        nextToken = page.NextToken;
      } while (nextToken);
      return rows;
    },
  };
}
