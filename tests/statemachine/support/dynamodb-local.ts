import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { template } from './template-environment';

// dynalite ships no types; this is the part of its API used here.
const dynalite = require('dynalite') as (options: Record<string, number>) => Server;

/** An in-memory DynamoDB (dynalite) on a free loopback port, so conditional writes are really evaluated. */
export interface LocalDynamoDb {
  endpoint: string;
  stop: () => Promise<void>;
}

/** Starts dynalite with no table-creation delay and returns its endpoint. */
export async function startLocalDynamoDb(): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** Creates the images table exactly as template.yaml declares its keys and index. */
export async function createImagesTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const { AttributeDefinitions, KeySchema, GlobalSecondaryIndexes } = template.Resources.ImagesTable.Properties;
  const input: CreateTableCommandInput = {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions,
    KeySchema,
    GlobalSecondaryIndexes,
  };
  await client.send(new CreateTableCommand(input));
}

/**
 * Starts dynalite, points the handlers' SDK at it (AWS_ENDPOINT_URL_DYNAMODB, a region and stand-in credentials), and
 * creates the images table; returns the server and a document client on the table.
 */
export async function startImagesTable(tableName: string): Promise<{ dynamo: LocalDynamoDb; table: DynamoDBDocumentClient }> {
  const dynamo = await startLocalDynamoDb();
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    // dynalite checks that requests are signed, not by whom.
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
  });
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
  await createImagesTable(client, tableName);
  return { dynamo, table: DynamoDBDocumentClient.from(client) };
}
