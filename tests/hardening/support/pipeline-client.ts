import { createHash } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';

/** Where a running local stack is and what it created (startLocalStack's `edgeUrl` and `resources`). */
export interface PipelineEndpoints {
  edgeUrl: string;
  resources: { uploadsBucket: string; processedBucket: string; tableName: string; stateMachineArn: string };
  region?: string;
}

/** One execution as DescribeExecution reports it, with its input parsed. */
export interface ExecutionView {
  executionArn: string;
  name: string;
  status: string;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate?: number;
  input: { imageId: string; revision: string; source: { bucket: string; key: string; versionId: string | null } };
}

/** A stored DynamoDB item of the image table (docs/contracts.md, "DynamoDB table"). */
export type TableItem = Record<string, any>;

/** `imageId` of docs/contracts.md: the first 128 bits of SHA-256 of "<bucket>/<decoded key>". */
export const imageIdOf = (bucket: string, key: string): string =>
  createHash('sha256').update(`${bucket}/${key}`).digest('hex').slice(0, 32);

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);

/** Talks to a local stack only over the wire, with the real SDK clients, as any AWS client would. */
export class PipelineClient {
  readonly s3: S3Client;
  readonly sfn: SFNClient;
  readonly documents: DynamoDBDocumentClient;

  constructor(readonly endpoints: PipelineEndpoints) {
    const common = {
      endpoint: endpoints.edgeUrl,
      region: endpoints.region ?? 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    };
    this.s3 = new S3Client({ ...common, forcePathStyle: true });
    this.sfn = new SFNClient(common);
    this.documents = DynamoDBDocumentClient.from(new DynamoDBClient(common));
  }

  get uploadsBucket(): string {
    return this.endpoints.resources.uploadsBucket;
  }

  /** PUTs one upload; resolves with its versionId. */
  async upload(key: string, body: Buffer, contentType = 'application/octet-stream'): Promise<string | undefined> {
    const put = await this.s3.send(new PutObjectCommand({ Bucket: this.uploadsBucket, Key: key, Body: body, ContentType: contentType }));
    return put.VersionId;
  }

  /** The bytes stored under a key of a bucket (the uploads bucket by default). */
  async read(key: string, bucket = this.uploadsBucket): Promise<{ body: Buffer; contentType?: string }> {
    const got = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return { body: Buffer.from(await got.Body!.transformToByteArray()), contentType: got.ContentType };
  }

  /** Whether an object exists under a key of the uploads bucket. */
  async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.uploadsBucket, Key: key }));
      return true;
    } catch (error) {
      if (
        (error as { name?: string }).name === 'NotFound' ||
        (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404
      )
        return false;
      throw error;
    }
  }

  /** Every key under a prefix of the processed bucket. */
  async processedKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.endpoints.resources.processedBucket, Prefix: prefix, ContinuationToken: token }),
      );
      keys.push(...(page.Contents ?? []).map((object) => object.Key!));
      token = page.NextContinuationToken;
    } while (token);
    return keys;
  }

  /** Every execution of the pipeline (ListExecutions), newest first, without their inputs. */
  async listExecutions(): Promise<Array<{ executionArn: string; name: string; status: string }>> {
    const all: Array<{ executionArn: string; name: string; status: string }> = [];
    let token: string | undefined;
    do {
      const page = await this.sfn.send(
        new ListExecutionsCommand({ stateMachineArn: this.endpoints.resources.stateMachineArn, nextToken: token, maxResults: 1000 }),
      );
      all.push(...(page.executions ?? []).map((e) => ({ executionArn: e.executionArn!, name: e.name!, status: e.status! })));
      token = page.nextToken;
    } while (token);
    return all;
  }

  /** Every execution with its input, status and error (DescribeExecution for each). */
  async executions(): Promise<ExecutionView[]> {
    const listed = await this.listExecutions();
    const views: ExecutionView[] = [];
    for (const { executionArn } of listed) {
      const d = await this.sfn.send(new DescribeExecutionCommand({ executionArn }));
      views.push({
        executionArn,
        name: d.name!,
        status: d.status!,
        error: d.error,
        cause: d.cause,
        startDate: d.startDate!.getTime(),
        stopDate: d.stopDate?.getTime(),
        input: JSON.parse(d.input ?? '{}'),
      });
    }
    return views;
  }

  /** When the execution really ran: the first and last history events (queued time excluded). */
  async runInterval(executionArn: string): Promise<{ from: number; to: number }> {
    const first = await this.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1, includeExecutionData: false }));
    const last = await this.sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1, reverseOrder: true, includeExecutionData: false }),
    );
    return { from: first.events![0].timestamp!.getTime(), to: last.events![0].timestamp!.getTime() };
  }

  /** Every item of one image (Query PK = IMAGE#<imageId>). */
  async itemsOf(imageId: string): Promise<TableItem[]> {
    const items: TableItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.endpoints.resources.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': `IMAGE#${imageId}` },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /**
   * Polls ListExecutions until at least `count` executions exist and none is RUNNING.
   * @throws Error naming what is still running when `timeoutMs` passes.
   */
  async waitForFinal(count: number, timeoutMs: number, pollMs = 1000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const listed = await this.listExecutions();
      const open = listed.filter((e) => !FINAL.has(e.status));
      if (listed.length >= count && open.length === 0) return;
      if (Date.now() > deadline) throw new Error(`after ${timeoutMs} ms: ${listed.length}/${count} executions, ${open.length} not final`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Releases the SDK clients' sockets. */
  destroy(): void {
    this.s3.destroy();
    this.sfn.destroy();
    this.documents.destroy();
  }
}

/** The largest number of intervals open at one instant (touching ends do not overlap). */
export function maxOverlap(intervals: ReadonlyArray<{ from: number; to: number }>): number {
  const points = intervals.flatMap(({ from, to }) => [
    { at: from, delta: 1 },
    { at: to, delta: -1 },
  ]);
  points.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let open = 0;
  let max = 0;
  for (const point of points) {
    open += point.delta;
    max = Math.max(max, open);
  }
  return max;
}
