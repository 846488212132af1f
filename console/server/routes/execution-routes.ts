import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  type ExecutionStatus,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import type { ApiContext } from '../api-context';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { HttpError, badRequest, notFound } from '../http/errors';
import { QueryReader } from '../http/query-params';
import type { Router } from '../http/router';
import { executionArnFor, isExecutionName, parseExecutionName, rerunName } from '../executions/execution-names';
import { outcomeByState, parsePayload, summariseHistory } from '../executions/state-history';
import { toImageSummary } from '../images/image-views';
import { displayName } from '../images/image-item';

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] as const;
const HISTORY_PAGE_LIMIT = 20;

function requireName(value: string): string {
  if (!isExecutionName(value)) throw badRequest('The execution name must be 1 to 80 characters, without whitespace, control characters or any of < > { } [ ] ? * " # % \\ ^ | ~ ` $ & , ; : /.');
  return value;
}

function durationMs(start?: Date, stop?: Date): number | null {
  return start && stop ? stop.getTime() - start.getTime() : null;
}

/** The fields every execution view shares, from a list entry or a DescribeExecution answer alike. */
function executionBasics(execution: { name?: string; executionArn?: string; status?: string; startDate?: Date; stopDate?: Date; redriveCount?: number }) {
  return {
    name: execution.name,
    arn: execution.executionArn,
    status: execution.status,
    startDate: execution.startDate?.toISOString() ?? null,
    stopDate: execution.stopDate?.toISOString() ?? null,
    durationMs: durationMs(execution.startDate, execution.stopDate),
    redriveCount: execution.redriveCount ?? 0,
  };
}

function isMissing(error: unknown): boolean {
  return (error as { name?: string }).name === 'ExecutionDoesNotExist';
}

/** Executions: list (with image names), detail with per-state history, redrive and re-run. */
export function registerExecutionRoutes(router: Router, context: ApiContext): void {
  const { sfn } = context.clients;
  const stateMachineArn = context.resources.stateMachineArn;

  router.on('GET', '/api/executions', async ({ url }) => {
    const reader = new QueryReader(url.searchParams, ['status', 'limit', 'cursor']);
    const status = reader.choice('status', STATUSES);
    const limit = reader.integer('limit', 1, 100, 20);
    const cursor = reader.string('cursor', 4096);
    const fingerprint = status ?? 'ALL';
    const nextToken = cursor ? decodeCursor(cursor, 'executions', fingerprint) : undefined;
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: status as ExecutionStatus | undefined, maxResults: limit, nextToken }));
    const executions = page.executions ?? [];
    const imageIds = executions.map((execution) => parseExecutionName(execution.name ?? '')?.imageId).filter((id): id is string => Boolean(id));
    const images = await context.index.getImages(imageIds);
    const items = await Promise.all(
      executions.map(async (execution) => {
        const imageId = parseExecutionName(execution.name ?? '')?.imageId ?? null;
        const item = imageId ? images.get(imageId) : undefined;
        // A running first upload has no image item yet; its input still names the key.
        const sourceKey = item?.source?.key ?? (await sourceKeyOf(execution.executionArn));
        return {
          ...executionBasics(execution),
          imageId,
          imageName: item ? displayName(item) : sourceKey ? sourceKey.slice(sourceKey.lastIndexOf('/') + 1) : null,
          thumbnail: item ? toImageSummary(item).thumbnail : null,
        };
      }),
    );
    return { items, nextCursor: page.nextToken ? encodeCursor('executions', fingerprint, page.nextToken) : null };
  });

  async function sourceKeyOf(executionArn: string | undefined): Promise<string | undefined> {
    if (!executionArn) return undefined;
    try {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      const input = parsePayload(described.input) as { source?: { key?: unknown } } | null;
      return typeof input?.source?.key === 'string' ? input.source.key : undefined;
    } catch {
      return undefined;
    }
  }

  async function describe(name: string) {
    const executionArn = executionArnFor(stateMachineArn, name);
    try {
      return await sfn.send(new DescribeExecutionCommand({ executionArn }));
    } catch (error) {
      if (isMissing(error)) throw notFound(`No execution ${name}.`);
      throw error;
    }
  }

  router.on('GET', '/api/executions/:name', async ({ params, url }) => {
    new QueryReader(url.searchParams, []);
    const name = requireName(params.name);
    const execution = await describe(name);
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: execution.executionArn, maxResults: 1000, nextToken, includeExecutionData: true }));
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken && pages < HISTORY_PAGE_LIMIT);
    const { states, timeline } = summariseHistory(events);
    const imageId = parseExecutionName(name)?.imageId ?? null;
    const item = imageId ? (await context.index.getImages([imageId])).get(imageId) : undefined;
    return {
      execution: {
        ...executionBasics(execution),
        input: parsePayload(execution.input),
        output: parsePayload(execution.output),
        error: execution.error ?? null,
        cause: parsePayload(execution.cause),
        redriveStatus: execution.redriveStatus ?? null,
        redriveStatusReason: execution.redriveStatusReason ?? null,
      },
      imageId,
      image: item ? toImageSummary(item) : null,
      states,
      outcomes: outcomeByState(states),
      timeline,
    };
  });

  router.on('POST', '/api/executions/:name/redrive', async ({ params }) => {
    const name = requireName(params.name);
    const execution = await describe(name);
    try {
      const answer = await sfn.send(new RedriveExecutionCommand({ executionArn: execution.executionArn }));
      return { name, redriveDate: answer.redriveDate?.toISOString() ?? null };
    } catch (error) {
      const known = error as { name?: string; message?: string };
      if (known.name === 'ExecutionNotRedrivable' || known.name === 'ExecutionLimitExceeded') throw new HttpError(409, known.name, known.message ?? 'This execution cannot be redriven.');
      if (known.name === 'UnknownOperationException' || known.name === 'UnsupportedOperation') throw new HttpError(501, 'RedriveUnsupported', 'This endpoint cannot redrive executions; use re-run.');
      throw error;
    }
  });

  router.on('POST', '/api/executions/:name/rerun', async ({ params, res }) => {
    const name = requireName(params.name);
    const execution = await describe(name);
    if (execution.status === 'RUNNING') throw new HttpError(409, 'ExecutionRunning', 'The execution is still running.');
    const newName = rerunName(name, new Date());
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: newName, input: execution.input ?? '{}' }));
    res.statusCode = 201;
    return { name: newName, arn: started.executionArn, startDate: started.startDate?.toISOString() ?? null };
  });
}
