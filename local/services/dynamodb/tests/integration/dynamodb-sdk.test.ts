import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { startEdgeServer, type EdgeServer } from '../../../../edge/server';
import { edgeClientConfig } from '../../../../edge/tests/support/edge-client';
import { createDynamoDbService, type LocalDynamoDbService } from '../../dynamodb-service';

const TABLE = {
  TableName: 'images',
  BillingMode: 'PAY_PER_REQUEST' as const,
  AttributeDefinitions: [
    { AttributeName: 'PK', AttributeType: 'S' as const },
    { AttributeName: 'SK', AttributeType: 'S' as const },
    { AttributeName: 'GSI1PK', AttributeType: 'S' as const },
    { AttributeName: 'GSI1SK', AttributeType: 'S' as const },
  ],
  KeySchema: [
    { AttributeName: 'PK', KeyType: 'HASH' as const },
    { AttributeName: 'SK', KeyType: 'RANGE' as const },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'GSI1',
      KeySchema: [
        { AttributeName: 'GSI1PK', KeyType: 'HASH' as const },
        { AttributeName: 'GSI1SK', KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    },
  ],
};

async function startStack(dataDir: string, faults = {}) {
  const dynamodb = await createDynamoDbService({ dataDir });
  const edge = await startEdgeServer({ port: 0, services: [dynamodb], faults });
  const client = new DynamoDBClient(edgeClientConfig(edge.url));
  return { dynamodb, edge, client, documents: DynamoDBDocumentClient.from(client) };
}

async function stopStack(stack: { dynamodb: LocalDynamoDbService; edge: EdgeServer; client: DynamoDBClient }) {
  stack.client.destroy();
  await stack.edge.close();
  await stack.dynamodb.close();
}

describe('local DynamoDB through the edge', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sip-ddb-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('creates the table, writes, queries the GSI newest first and keeps the data across a restart', async () => {
    // Prepare
    const first = await startStack(dataDir);
    const table = await first.dynamodb.createTable(TABLE);
    await first.dynamodb.createTable(TABLE);
    for (const [id, at] of [
      ['a', '2026-01-01'],
      ['b', '2026-01-03'],
      ['c', '2026-01-02'],
    ]) {
      await first.documents.send(
        new PutCommand({
          TableName: 'images',
          Item: { PK: `IMAGE#${id}`, SK: 'IMAGE', GSI1PK: 'STATUS#SUCCEEDED', GSI1SK: `${at}#${id}`, imageId: id },
        }),
      );
    }
    await stopStack(first);

    // Act
    const second = await startStack(dataDir);
    const newest = await second.documents.send(
      new QueryCommand({
        TableName: 'images',
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': 'STATUS#SUCCEEDED' },
        ScanIndexForward: false,
      }),
    );
    const one = await second.documents.send(new GetCommand({ TableName: 'images', Key: { PK: 'IMAGE#a', SK: 'IMAGE' } }));
    await stopStack(second);

    // Assess
    expect(table.TableStatus).toBe('ACTIVE');
    expect(newest.Items?.map((item) => item.imageId)).toEqual(['b', 'c', 'a']);
    expect(one.Item?.imageId).toBe('a');
  });

  it('answers a failed condition with ConditionalCheckFailedException', async () => {
    // Prepare
    const stack = await startStack(dataDir);
    await stack.dynamodb.createTable(TABLE);
    await stack.documents.send(new PutCommand({ TableName: 'images', Item: { PK: 'IMAGE#cond', SK: 'IMAGE', sourceOrder: '2' } }));

    // Act
    const attempt = stack.documents.send(
      new PutCommand({
        TableName: 'images',
        Item: { PK: 'IMAGE#cond', SK: 'IMAGE', sourceOrder: '1' },
        ConditionExpression: 'attribute_not_exists(PK) OR sourceOrder < :order',
        ExpressionAttributeValues: { ':order': '1' },
      }),
    );

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    await stopStack(stack);
  });

  it('refuses an item over 400 KB with ValidationException', async () => {
    // Prepare
    const stack = await startStack(dataDir);

    // Act
    const attempt = stack.documents.send(
      new PutCommand({ TableName: 'images', Item: { PK: 'IMAGE#big', SK: 'IMAGE', blob: 'x'.repeat(410 * 1024) } }),
    );

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'ValidationException' });
    await stopStack(stack);
  });

  it('names the missing operation when a client calls TransactWriteItems', async () => {
    // Prepare
    const stack = await startStack(dataDir);

    // Act
    const attempt = stack.client.send(
      new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'images', Item: { PK: { S: 'x' }, SK: { S: 'y' } } } }] }),
    );

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'UnknownOperationException', $metadata: { httpStatusCode: 400 } });
    await stopStack(stack);
  });

  it('injects ProvisionedThroughputExceededException on writes when LOCAL_FAULTS asks for it', async () => {
    // Prepare
    const stack = await startStack(dataDir, { dynamodbWrite: 1 });

    // Act
    const write = stack.documents.send(new PutCommand({ TableName: 'images', Item: { PK: 'IMAGE#f', SK: 'IMAGE' } }));
    const read = stack.documents.send(new GetCommand({ TableName: 'images', Key: { PK: 'IMAGE#a', SK: 'IMAGE' } }));

    // Assess
    await expect(write).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    await expect(read).resolves.toMatchObject({ Item: { imageId: 'a' } });
    await stopStack(stack);
  });
});

describe('local DynamoDB folder lock', () => {
  it('refuses a second instance on the same data folder with a clear error instead of crashing', async () => {
    // Prepare
    const dataDir = await mkdtemp(join(tmpdir(), 'sip-ddb-lock-'));
    const first = await createDynamoDbService({ dataDir });

    // Act
    const second = await createDynamoDbService({ dataDir }).catch((error: unknown) => error);
    await first.close();
    const afterClose = await createDynamoDbService({ dataDir });
    await afterClose.close();
    await rm(dataDir, { recursive: true, force: true });

    // Assess
    expect(second).toMatchObject({ name: 'DataFolderInUseError' });
  });
});
