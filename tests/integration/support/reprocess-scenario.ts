import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ListExecutionsCommand, type ExecutionListItem, type SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import sharp from 'sharp';
import { maxOverlap } from '../../hardening/support/pipeline-client';
import {
  edgeClientOptions,
  reprocessClients,
  runReprocess,
  type ReprocessRequest,
  type ReprocessSummary,
} from '../../../local/cli/reprocess-run';
import { startLocalStack, type LocalStack } from '../../../local/stack';

/**
 * A local stack whose PipelineConfig holds v1 (current), v2 (same variants, other analysis settings) and v3 (other
 * variants), seeded with small images through the real pipeline, and the clients a reprocess test needs.
 */
export interface ReprocessWorld {
  stack: LocalStack;
  sfn: SFNClient;
  s3: S3Client;
  db: DynamoDBDocumentClient;
  reprocessArn: string;
  imageIds: string[];
  reprocess(request: ReprocessRequest): Promise<ReprocessSummary>;
  /** Every image item: id -> { status, pipelineVersion }. */
  images(): Promise<Map<string, { status: string; pipelineVersion?: string }>>;
  /** Every execution of the image pipeline. */
  pipelineRuns(): Promise<ExecutionListItem[]>;
  stop(): Promise<void>;
}

/** v4 analyses and resizes exactly as v1 does: a reprocess from v1 to v4 reuses both the variants and the analysis. */
const CONFIG = {
  current: 'v1',
  versions: {
    v1: { detectText: 'never' },
    v2: { detectText: 'never', minLabelConfidence: 55 },
    v3: { detectText: 'never', variantWidths: [64] },
    v4: { detectText: 'never' },
  },
};

/**
 * A PNG different for each index: 60×40 (under Rekognition's 80 px, so a run resizes and stores without analysis), or
 * with `analysable` 160×120, which the local vision service analyses.
 */
function seedImage(index: number, analysable: boolean): Promise<Buffer> {
  const colour = { r: (index * 37) % 256, g: (index * 91) % 256, b: (index * 53) % 256 };
  const [width, height] = analysable ? [160, 120] : [60, 40];
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();
}

async function inPool<T>(items: readonly T[], parallelism: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallelism }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

async function queryAll(db: DynamoDBDocumentClient, table: string, partition: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * Starts the stack in a fresh data folder and runs `count` uploads through the pipeline until every one is stored;
 * `analysable` seeds images large enough to be analysed.
 */
export async function seedReprocessWorld(count: number, concurrency = 2, analysable = false): Promise<ReprocessWorld> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sip-reprocess-'));
  const stack = await startLocalStack({
    dataDir,
    edgePort: 0,
    concurrency,
    recover: false,
    parameterOverrides: { PipelineConfig: JSON.stringify(CONFIG) },
  });
  const { sfn, s3, stateMachineArn: reprocessArn } = reprocessClients(stack);
  const db = DynamoDBDocumentClient.from(new DynamoDBClient(edgeClientOptions(stack)));
  const table = stack.resources.tableName;

  const images = async () => {
    const all = [...(await queryAll(db, table, 'STATUS#SUCCEEDED')), ...(await queryAll(db, table, 'STATUS#FAILED'))];
    return new Map(
      all.map((item) => [
        String(item.imageId),
        { status: String(item.status), pipelineVersion: item.pipelineVersion as string | undefined },
      ]),
    );
  };
  const pipelineRuns = async () => {
    const runs: ExecutionListItem[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(
        new ListExecutionsCommand({ stateMachineArn: stack.resources.stateMachineArn, nextToken, maxResults: 1000 }),
      );
      runs.push(...(page.executions ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return runs;
  };

  const indexes = Array.from({ length: count }, (_, index) => index);
  await inPool(indexes, 16, async (index) => {
    const body = await seedImage(index, analysable);
    await s3.send(
      new PutObjectCommand({
        Bucket: stack.resources.uploadsBucket,
        Key: `uploads/seed/${String(index).padStart(5, '0')}.png`,
        Body: body,
      }),
    );
  });
  const deadline = Date.now() + 30 * 60_000;
  let stored = await images();
  while (stored.size < count) {
    if (Date.now() > deadline) throw new Error(`only ${stored.size} of ${count} seeded images were stored`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    stored = await images();
  }

  return {
    stack,
    sfn,
    s3,
    db,
    reprocessArn,
    imageIds: [...stored.keys()].sort(),
    reprocess: (request) => runReprocess({ sfn, s3 }, reprocessArn, request, 100),
    images,
    pipelineRuns,
    stop: async () => {
      sfn.destroy();
      s3.destroy();
      db.destroy();
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The largest number of the runs that were running at the same moment. */
export function maxRunOverlap(runs: readonly ExecutionListItem[]): number {
  return maxOverlap(runs.map((run) => ({ from: run.startDate!.getTime(), to: (run.stopDate ?? new Date()).getTime() })));
}
