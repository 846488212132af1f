import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  type ExecutionStatus,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import type { ApiDeps } from '../api-deps';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { HttpError, badRequest, notFound } from '../http/http-error';
import { requireNoBody } from '../http/json-body';
import { QueryReader } from '../http/query-reader';
import { created, ok } from '../http/responses';
import type { Router } from '../http/router';
import { executionArnFor, isExecutionName, parseExecutionName, rerunName } from '../executions/execution-names';
import { outcomeByState, parsePayload, summariseHistory } from '../executions/state-history';
import { displayName } from '../images/image-item';
import { toImageSummary } from '../images/image-views';
import { presignedVariantUrls } from '../images/variant-urls';

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] as const;
const HISTORY_PAGE_LIMIT = 20;
/** Step Functions' nextToken is opaque text of at most 1,024 characters. */
const isNextToken = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 1024;

function requireName(value: string): string {
  if (!isExecutionName(value))
    throw badRequest(
      'The execution name must be 1 to 80 characters, without whitespace, control characters or any of < > { } [ ] ? * " # % \\ ^ | ~ ` $ & , ; : /.',
    );
  return value;
}

function durationMs(start?: Date, stop?: Date): number | null {
  return start && stop ? stop.getTime() - start.getTime() : null;
}

/** The fields every execution view shares, from a list entry or a DescribeExecution answer alike. */
function executionBasics(execution: {
  name?: string;
  executionArn?: string;
  status?: string;
  startDate?: Date;
  stopDate?: Date;
  redriveCount?: number;
}) {
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

/** Admins only: the runs (list with image names, detail with per-state history, the graph's definition), redrive and re-run. */
export function registerExecutionRoutes(router: Router, deps: ApiDeps): void {
  const { sfn } = deps;
  const stateMachineArn = deps.resources.stateMachineArn;
  const urlFor = presignedVariantUrls(deps.s3, deps.resources.processedBucket, deps.now);

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

  router.on(
    'GET',
    '/admin/executions',
    async ({ request }) => {
      const reader = new QueryReader(request.query, ['status', 'limit', 'cursor']);
      const status = reader.choice('status', STATUSES);
      const limit = reader.integer('limit', 1, 100, 20);
      const cursor = reader.string('cursor', 4096);
      const binding = { kind: 'executions', scope: 'all', fingerprint: status ?? 'ALL' };
      const nextToken = cursor ? decodeCursor(cursor, binding, isNextToken) : undefined;
      const page = await sfn.send(
        new ListExecutionsCommand({ stateMachineArn, statusFilter: status as ExecutionStatus | undefined, maxResults: limit, nextToken }),
      );
      const executions = page.executions ?? [];
      const imageIds = executions
        .map((execution) => parseExecutionName(execution.name ?? '')?.imageId)
        .filter((id): id is string => Boolean(id));
      const images = (await deps.index.getImages(imageIds)).items;
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
            thumbnail: item ? (await toImageSummary(item, urlFor)).thumbnail : null,
          };
        }),
      );
      return ok({ items, nextCursor: page.nextToken ? encodeCursor(binding, page.nextToken) : null });
    },
    'admin',
  );

  router.on(
    'GET',
    '/admin/state-machine',
    async ({ request }) => {
      new QueryReader(request.query, []);
      const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
      return ok({ name: described.name ?? null, source: 'DescribeStateMachine', definition: JSON.parse(described.definition ?? '{}') });
    },
    'admin',
  );

  router.on(
    'GET',
    '/admin/executions/{name}',
    async ({ params, request }) => {
      new QueryReader(request.query, []);
      const name = requireName(params.name);
      const execution = await describe(name);
      const events: HistoryEvent[] = [];
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const page = await sfn.send(
          new GetExecutionHistoryCommand({ executionArn: execution.executionArn, maxResults: 1000, nextToken, includeExecutionData: true }),
        );
        events.push(...(page.events ?? []));
        nextToken = page.nextToken;
        pages += 1;
      } while (nextToken && pages < HISTORY_PAGE_LIMIT);
      const { states, timeline } = summariseHistory(events);
      const imageId = parseExecutionName(name)?.imageId ?? null;
      const item = imageId ? (await deps.index.getImages([imageId])).items.get(imageId) : undefined;
      return ok({
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
        image: item ? await toImageSummary(item, urlFor) : null,
        states,
        outcomes: outcomeByState(states),
        timeline,
      });
    },
    'admin',
  );

  router.on(
    'POST',
    '/admin/executions/{name}/redrive',
    async ({ params, request }) => {
      new QueryReader(request.query, []);
      requireNoBody(request);
      const name = requireName(params.name);
      const execution = await describe(name);
      try {
        const answer = await sfn.send(new RedriveExecutionCommand({ executionArn: execution.executionArn }));
        return ok({ name, redriveDate: answer.redriveDate?.toISOString() ?? null });
      } catch (error) {
        const known = error as { name?: string; message?: string };
        if (known.name === 'ExecutionNotRedrivable' || known.name === 'ExecutionLimitExceeded')
          throw new HttpError(409, known.name, known.message ?? 'This execution cannot be redriven.');
        throw error;
      }
    },
    'admin',
  );

  router.on(
    'POST',
    '/admin/executions/{name}/rerun',
    async ({ params, request }) => {
      new QueryReader(request.query, []);
      requireNoBody(request);
      const name = requireName(params.name);
      const execution = await describe(name);
      if (execution.status === 'RUNNING') throw new HttpError(409, 'ExecutionRunning', 'The execution is still running.');
      const newName = rerunName(name, deps.now());
      const started = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: newName, input: execution.input ?? '{}' }));
      return created({ name: newName, arn: started.executionArn, startDate: started.startDate?.toISOString() ?? null });
    },
    'admin',
  );
}
