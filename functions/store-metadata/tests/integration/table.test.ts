/**
 * Runs the store core against dynalite (an in-process DynamoDB on a free port, data in memory), so
 * the condition expressions are evaluated by a real DynamoDB implementation instead of a mock.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { recordFailure, storeImage, type StoreDeps } from '../../src/image-store';
import { parseStoreRequest } from '../../src/parse-input';
import type { RecordFailureInput, StoreSuccessInput } from '../../src/types';
import { loadStoreEvent } from '../unit/support/events';
import { RecordingLogger } from '../unit/support/recording-logger';

// dynalite ships no types; this is the part of its API the test uses.
const dynalite = require('dynalite') as (options: Record<string, number>) => Server;

let server: Server;
let db: DynamoDBDocumentClient;
let tableCount = 0;
let clock = Date.parse('2026-11-25T12:00:00.000Z');

async function createTable(): Promise<string> {
  tableCount += 1;
  const name = `images-${tableCount}`;
  await db.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: ['PK', 'SK', 'GSI1PK', 'GSI1SK'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
      GlobalSecondaryIndexes: [
        {
          IndexName: 'GSI1',
          KeySchema: [
            { AttributeName: 'GSI1PK', KeyType: 'HASH' },
            { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  return name;
}

function deps(tableName: string): StoreDeps {
  return { db, tableName, now: () => new Date((clock += 1000)), logger: new RecordingLogger() };
}

function revisionOf(order: number, labels: string[]): StoreSuccessInput {
  const input = parseStoreRequest(loadStoreEvent('success')).input as StoreSuccessInput;
  const revision = order.toString(16).padStart(16, '0');
  const analysis = input.analysis!;
  return {
    ...input,
    revision,
    source: { ...input.source, sourceOrder: order.toString(16).toUpperCase().padStart(32, '0') },
    analysis: {
      ...analysis,
      sections: {
        ...analysis.sections,
        labels: { title: 'Labels', detector: 'DetectLabels', items: labels.map((name) => ({ name, confidence: 90 })) },
      },
    },
  };
}

function failureOf(success: StoreSuccessInput): RecordFailureInput {
  const failure = parseStoreRequest(loadStoreEvent('record-failure')).input as RecordFailureInput;
  return { ...failure, imageId: success.imageId, revision: success.revision, source: success.source };
}

async function imageItem(tableName: string, imageId: string): Promise<Record<string, unknown> | undefined> {
  return (await db.send(new GetCommand({ TableName: tableName, Key: { PK: `IMAGE#${imageId}`, SK: 'IMAGE' } }))).Item;
}

async function sortKeys(tableName: string, imageId: string): Promise<string[]> {
  const page = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': `IMAGE#${imageId}` },
    }),
  );
  return (page.Items ?? []).map((item) => String(item.SK)).sort();
}

async function queryIndex(tableName: string, gsi1pk: string, extra: { minSk?: string } = {}): Promise<Record<string, unknown>[]> {
  const page = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: extra.minSk === undefined ? 'GSI1PK = :pk' : 'GSI1PK = :pk AND GSI1SK >= :min',
      ExpressionAttributeValues: extra.minSk === undefined ? { ':pk': gsi1pk } : { ':pk': gsi1pk, ':min': extra.minSk },
      ScanIndexForward: false,
    }),
  );
  return page.Items ?? [];
}

beforeAll(async () => {
  server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
});

afterAll(async () => {
  db.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('conditional writes against dynalite', () => {
  it('stores a success and serves every access pattern of the contract', async () => {
    // Prepare
    const table = await createTable();
    const input = parseStoreRequest(loadStoreEvent('success')).input as StoreSuccessInput;

    // Act
    const result = await storeImage(input, deps(table));

    // Assess
    expect(result.written).toBe(true);
    expect(await imageItem(table, input.imageId)).toMatchObject({ status: 'SUCCEEDED', revision: input.revision });
    expect((await queryIndex(table, 'STATUS#SUCCEEDED')).map((i) => i.imageId)).toEqual([input.imageId]);
    expect((await queryIndex(table, 'LABEL#beach', { minSk: '080000' })).map((i) => i.imageId)).toEqual([input.imageId]);
    expect(await queryIndex(table, 'LABEL#text', { minSk: '080000' })).toEqual([]);
    expect((await queryIndex(table, 'PHASH#2#8e4b')).map((i) => i.perceptualHash)).toEqual(['c3d2a1f08e4b7765']);
  });

  it('replaces an older revision, removes its labels, and refuses the older revision afterwards', async () => {
    // Prepare
    const table = await createTable();
    const older = revisionOf(0x10, ['Cat', 'Sofa']);
    const newer = revisionOf(0x20, ['Dog', 'Sofa']);
    await storeImage(older, deps(table));

    // Act
    const replaced = await storeImage(newer, deps(table));
    const stale = await storeImage(older, deps(table));

    // Assess
    expect(replaced.written).toBe(true);
    expect(stale.written).toBe(false);
    expect(await imageItem(table, newer.imageId)).toMatchObject({ revision: newer.revision });
    expect(await sortKeys(table, newer.imageId)).toEqual(['IMAGE', 'LABEL#Dog', 'LABEL#Sofa', 'PHASH#0', 'PHASH#1', 'PHASH#2', 'PHASH#3']);
    expect(await queryIndex(table, 'LABEL#cat')).toEqual([]);
    expect((await queryIndex(table, 'LABEL#sofa'))[0]).toMatchObject({ revision: newer.revision });
  });

  it('stores the same revision twice with the same result', async () => {
    // Prepare
    const table = await createTable();
    const input = revisionOf(0x30, ['Tree']);
    await storeImage(input, deps(table));
    const before = await sortKeys(table, input.imageId);

    // Act
    const again = await storeImage(input, deps(table));

    // Assess
    expect(again.written).toBe(true);
    expect(await sortKeys(table, input.imageId)).toEqual(before);
  });

  it('records a failure of a newer revision and takes the image out of label search', async () => {
    // Prepare
    const table = await createTable();
    await storeImage(revisionOf(0x40, ['Dog']), deps(table));
    const failed = failureOf(revisionOf(0x41, []));

    // Act
    const result = await recordFailure(failed, deps(table));

    // Assess
    expect(result.written).toBe(true);
    expect(await imageItem(table, failed.imageId)).toMatchObject({ status: 'FAILED', error: { name: 'CorruptImageError' } });
    expect(await sortKeys(table, failed.imageId)).toEqual(['IMAGE']);
    expect((await queryIndex(table, 'STATUS#FAILED')).map((i) => i.imageId)).toEqual([failed.imageId]);
    expect(await queryIndex(table, 'STATUS#SUCCEEDED')).toEqual([]);
  });

  it('never lets a failure overwrite a success of a newer or the same revision', async () => {
    // Prepare
    const table = await createTable();
    const stored = revisionOf(0x50, ['Dog']);
    await storeImage(stored, deps(table));

    // Act
    const older = await recordFailure(failureOf(revisionOf(0x4f, [])), deps(table));
    const same = await recordFailure(failureOf(stored), deps(table));

    // Assess
    expect([older.written, same.written]).toEqual([false, false]);
    expect(await imageItem(table, stored.imageId)).toMatchObject({ status: 'SUCCEEDED', revision: stored.revision });
    expect(await sortKeys(table, stored.imageId)).toContain('LABEL#Dog');
  });

  it('lets a later success replace a recorded failure of the same image', async () => {
    // Prepare
    const table = await createTable();
    await recordFailure(failureOf(revisionOf(0x60, [])), deps(table));

    // Act
    const result = await storeImage(revisionOf(0x61, ['Boat']), deps(table));

    // Assess
    expect(result.written).toBe(true);
    const item = await imageItem(table, revisionOf(0x61, []).imageId);
    expect(item).toMatchObject({ status: 'SUCCEEDED' });
    expect(item).not.toHaveProperty('error');
  });

  it('refuses the image write when a newer revision lands between the read and the write', async () => {
    // Prepare: the DynamoDB condition, not the early read, must stop the older run.
    const table = await createTable();
    const older = revisionOf(0x70, ['Cat']);
    const newer = revisionOf(0x71, ['Dog']);
    const racing: StoreDeps = {
      ...deps(table),
      db: {
        send: (async (command: unknown) => {
          const output = await db.send(command as never);
          if (command instanceof GetCommand) await storeImage(newer, deps(table));
          return output;
        }) as DynamoDBDocumentClient['send'],
      },
    };

    // Act
    const result = await storeImage(older, racing);

    // Assess
    expect(result.written).toBe(false);
    expect(await imageItem(table, newer.imageId)).toMatchObject({ revision: newer.revision });
    expect(await sortKeys(table, newer.imageId)).toEqual(['IMAGE', 'LABEL#Dog', 'PHASH#0', 'PHASH#1', 'PHASH#2', 'PHASH#3']);
  });
});
