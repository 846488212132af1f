import { Agent, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CreateTableCommandInput, TableDescription } from '@aws-sdk/client-dynamodb';
import { AwsServiceError } from '../../edge/aws-error';
import { awsJsonProtocol } from '../../edge/protocols/aws-json';
import { matchTarget } from '../../edge/router';
import type { EdgeRequest, EdgeResponse, EdgeService } from '../../edge/types';
import { acquireFolderLock } from './folder-lock';

// dynalite ships no types; it is a function returning an http.Server whose close() also closes LevelDB.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;

/** Options of the local DynamoDB. */
export interface DynamoDbServiceOptions {
  /** The stack's data folder; LevelDB lives in <dataDir>/dynamodb. */
  dataDir: string;
}

/** DynamoDB's JSON 1.0 protocol: the edge's own errors (injected throttling) are written in it. */
const DYNAMODB_JSON = awsJsonProtocol({ version: '1.0', namespace: 'com.amazonaws.dynamodb.v20120810' });

/** The local DynamoDB: an edge service plus helpers the runner uses to create the template's table. */
export interface LocalDynamoDbService extends EdgeService {
  /** Calls one DynamoDB operation (e.g. "DescribeTable") with its JSON input. @throws AwsServiceError with dynalite's error code and status. */
  call<T = Record<string, unknown>>(operation: string, input: Record<string, unknown>): Promise<T>;
  /** Creates a table unless it exists, and waits until it is ACTIVE. @throws AwsServiceError ValidationException. */
  createTable(input: CreateTableCommandInput): Promise<TableDescription>;
  /** Stops dynalite and closes LevelDB (needed before another process or instance opens the same folder). */
  close(): Promise<void>;
}

/**
 * Starts dynalite on an internal loopback port with LevelDB under <dataDir>/dynamodb, and proxies
 * DynamoDB_20120810.* calls from the edge to it unchanged, so its validation and errors are DynamoDB's.
 * @throws DataFolderInUseError when another live process (or instance) serves the same folder, or the listen error.
 */
export async function createDynamoDbService(options: DynamoDbServiceOptions): Promise<LocalDynamoDbService> {
  const path = join(options.dataDir, 'dynamodb');
  await mkdir(path, { recursive: true });
  const releaseLock = await acquireFolderLock(`${path}.lock`);
  // Tables become ACTIVE at once: the 500 ms CREATING default only slows local start-up.
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  }).catch(async (error: unknown) => {
    await releaseLock();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });

  const forward = (headers: Record<string, string>, body: Buffer) =>
    new Promise<EdgeResponse & { body: Buffer }>((resolve, reject) => {
      const outgoing = request(
        { host: '127.0.0.1', port, method: 'POST', path: '/', agent, headers: { ...headers, 'content-length': String(body.length) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const passed: Record<string, string> = {};
            for (const name of ['content-type', 'x-amzn-requestid', 'x-amz-crc32']) {
              const value = res.headers[name];
              if (typeof value === 'string') passed[name] = value;
            }
            resolve({ status: res.statusCode ?? 500, headers: passed, body: Buffer.concat(chunks) });
          });
          res.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const call = async <T>(operation: string, input: Record<string, unknown>): Promise<T> => {
    const response = await forward(
      {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${operation}`,
        // dynalite insists on a SigV4-shaped header but never checks the signature.
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
        'x-amz-date': '20260101T000000Z',
      },
      Buffer.from(JSON.stringify(input)),
    );
    const parsed = JSON.parse(response.body.toString('utf8') || '{}') as Record<string, unknown>;
    if (response.status !== 200) {
      const code =
        String(parsed.__type ?? 'UnknownError')
          .split('#')
          .pop() ?? 'UnknownError';
      throw new AwsServiceError(code, response.status, String(parsed.message ?? parsed.Message ?? ''));
    }
    return parsed as T;
  };

  return {
    name: 'dynamodb',
    protocol: DYNAMODB_JSON,
    matches: matchTarget('DynamoDB_20120810.'),
    async handle(req: EdgeRequest): Promise<EdgeResponse> {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && name !== 'host' && name !== 'content-length' && name !== 'connection') headers[name] = value;
      }
      try {
        return await forward(headers, req.body);
      } catch (error) {
        throw new AwsServiceError('InternalServerError', 500, `local DynamoDB is unavailable: ${String(error)}`);
      }
    },
    call,
    async createTable(input) {
      try {
        await call('CreateTable', input as unknown as Record<string, unknown>);
      } catch (error) {
        if (!(error instanceof AwsServiceError && error.code === 'ResourceInUseException')) throw error;
      }
      for (;;) {
        const { Table } = await call<{ Table: TableDescription }>('DescribeTable', { TableName: input.TableName });
        const indexesReady = (Table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
        if (Table.TableStatus === 'ACTIVE' && indexesReady) return Table;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      agent.destroy();
      await new Promise<void>((resolve, reject) => server.close((error?: Error) => (error ? reject(error) : resolve())));
      await releaseLock();
    },
  };
}
