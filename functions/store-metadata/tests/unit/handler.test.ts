import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { storeResultSchema } from '@smart-image-pipeline/contracts';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { loadStoreEvent } from './support/events';

const TABLE = 'smart-image-pipeline-images';
const savedEnv = { ...process.env };

type Lib = typeof import('@aws-sdk/lib-dynamodb');
type Loaded = {
  handler: typeof import('../../src/handler').handler;
  lib: Lib;
  dbMock: AwsClientStub<DynamoDBDocumentClient>;
  errors: typeof import('../../src/errors');
};

// The handler reads its config at import, as on a cold start, so each test loads a fresh module
// registry; the SDK and the error classes must come from that same registry.
function loadHandler(env: Record<string, string | undefined>): Loaded {
  process.env = { ...savedEnv, POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_REGION: 'eu-west-1', ...env };
  let loaded: Loaded | undefined;
  jest.isolateModules(() => {
    const lib = require('@aws-sdk/lib-dynamodb') as Lib;
    const dbMock = mockClient(lib.DynamoDBDocumentClient);
    dbMock.on(lib.GetCommand).resolves({});
    dbMock.on(lib.PutCommand).resolves({});
    dbMock.on(lib.QueryCommand).resolves({ Items: [] });
    const errors = require('../../src/errors') as typeof import('../../src/errors');
    const { handler } = require('../../src/handler') as typeof import('../../src/handler');
    loaded = { handler, lib, dbMock, errors };
  });
  return loaded as Loaded;
}

function putItems(loaded: Loaded): Record<string, unknown>[] {
  return loaded.dbMock.commandCalls(loaded.lib.PutCommand).map((call) => call.args[0].input.Item ?? {});
}

afterAll(() => {
  process.env = savedEnv;
});

describe('handler', () => {
  it('stores the success state in the configured table', async () => {
    // Prepare
    const loaded = loadHandler({ IMAGES_TABLE_NAME: TABLE });

    // Act
    const result = await loaded.handler(loadStoreEvent('success'));

    // Assess
    expect(result).toMatchObject({ imageId: '4c305750c43906432cd42f52210099f7', status: 'SUCCEEDED', written: true });
    expect(storeResultSchema.parse(result).events.processed).toMatchObject({
      imageId: '4c305750c43906432cd42f52210099f7',
      status: 'SUCCEEDED',
      owner: 'unowned',
    });
    expect(loaded.dbMock.commandCalls(loaded.lib.PutCommand).every((call) => call.args[0].input.TableName === TABLE)).toBe(true);
    expect(putItems(loaded).at(-1)).toMatchObject({ SK: 'IMAGE', status: 'SUCCEEDED', analysed: true });
  });

  it('stores a state without analysis', async () => {
    // Prepare
    const loaded = loadHandler({ IMAGES_TABLE_NAME: TABLE });

    // Act
    const result = await loaded.handler(loadStoreEvent('success-no-analysis'));

    // Assess
    expect(result).toMatchObject({ status: 'SUCCEEDED', written: true });
    expect(putItems(loaded).at(-1)).toMatchObject({ analysable: false, analysed: false, analysis: null });
  });

  it('records a failure for action recordFailure and counts it by reason in an EMF metric', async () => {
    // Prepare
    const loaded = loadHandler({
      IMAGES_TABLE_NAME: TABLE,
      POWERTOOLS_METRICS_NAMESPACE: 'test-stack',
      POWERTOOLS_SERVICE_NAME: 'store-metadata',
    });
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });

    // Act
    const result = await loaded.handler(loadStoreEvent('record-failure')).finally(() => write.mockRestore());

    // Assess
    expect(result).toMatchObject({
      status: 'FAILED',
      written: true,
      events: { failed: { status: 'FAILED', error: { name: 'CorruptImageError' } } },
    });
    expect(putItems(loaded)[0]).toMatchObject({ status: 'FAILED', error: { name: 'CorruptImageError' } });
    const metrics = lines
      .flatMap((line) => line.split('\n'))
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line));
    expect(metrics).toContainEqual(expect.objectContaining({ ImagesFailed: 1, reason: 'CorruptImageError', service: 'store-metadata' }));
  });

  it('throws InvalidStoreInputError for a state that breaks the contract, before touching the table', async () => {
    // Prepare
    const loaded = loadHandler({ IMAGES_TABLE_NAME: TABLE });

    // Act
    const run = loaded.handler({ imageId: 'x' });

    // Assess
    await expect(run).rejects.toBeInstanceOf(loaded.errors.InvalidStoreInputError);
    await expect(run).rejects.toMatchObject({ name: 'InvalidStoreInputError' });
    expect(loaded.dbMock.calls()).toHaveLength(0);
  });

  it('fails at cold start with ConfigurationError when IMAGES_TABLE_NAME is missing', () => {
    // Act
    const load = () => loadHandler({ IMAGES_TABLE_NAME: undefined });

    // Assess
    expect(load).toThrow(expect.objectContaining({ name: 'ConfigurationError', message: expect.stringContaining('IMAGES_TABLE_NAME') }));
  });
});
