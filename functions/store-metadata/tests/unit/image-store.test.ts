import { ConditionalCheckFailedException, DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { recordFailure, storeImage, type StoreDeps } from '../../src/image-store';
import { parseStoreRequest } from '../../src/parse-input';
import type { RecordFailureInput, StoreSuccessInput } from '../../src/types';
import { loadStoreEvent } from './support/events';
import { RecordingLogger } from './support/recording-logger';

const TABLE = 'smart-image-pipeline-images';
const NOW = new Date('2026-11-25T12:00:09.123Z');
const IMAGE_ID = '4c305750c43906432cd42f52210099f7';
const REVISION = '4ad423f178deff50';
const SOURCE_ORDER = '000000000000000065A1B2C3D4E5F601';
const dbMock = mockClient(DynamoDBDocumentClient);

function deps(logger = new RecordingLogger()): StoreDeps {
  return { db: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), tableName: TABLE, now: () => NOW, logger };
}

function success(): StoreSuccessInput {
  return parseStoreRequest(loadStoreEvent('success')).input as StoreSuccessInput;
}

function failure(): RecordFailureInput {
  return parseStoreRequest(loadStoreEvent('record-failure')).input as RecordFailureInput;
}

function conditionFailed(): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
}

// DynamoDB refuses the conditional Put of the item with this sort key, as it does when a newer revision owns it.
function refusePutOf(sk: string): void {
  dbMock.on(PutCommand).callsFake((input: { Item: { SK: string } }) => {
    if (input.Item.SK === sk) throw conditionFailed();
    return {};
  });
}

function puts() {
  return dbMock.commandCalls(PutCommand).map((call) => call.args[0].input);
}

function deletedKeys(): string[] {
  return dbMock.commandCalls(DeleteCommand).map((call) => String(call.args[0].input.Key?.SK));
}

beforeEach(() => {
  dbMock.reset();
  dbMock.on(GetCommand).resolves({});
  dbMock.on(PutCommand).resolves({});
  dbMock.on(DeleteCommand).resolves({});
  dbMock.on(QueryCommand).resolves({ Items: [] });
});

describe('storeImage', () => {
  it('writes label and hash items, then the image item last, each conditional on revision order', async () => {
    // Act
    const result = await storeImage(success(), deps());

    // Assess
    expect(result).toEqual({ imageId: IMAGE_ID, status: 'SUCCEEDED', written: true });
    const written = puts();
    expect(written.at(-1)?.Item).toMatchObject({
      SK: 'IMAGE',
      status: 'SUCCEEDED',
      revision: REVISION,
      sourceOrder: SOURCE_ORDER,
      createdAt: NOW.toISOString(),
    });
    expect(written.slice(0, -1).map((p) => p.Item?.SK)).toEqual(
      expect.arrayContaining(['LABEL#Beach', 'LABEL#Person', 'LABEL#Outdoors', 'PHASH#0', 'PHASH#3']),
    );
    for (const put of written) {
      expect(put.TableName).toBe(TABLE);
      expect(put.ConditionExpression).toBe('attribute_not_exists(#pk) OR #so < :so OR (#so = :so AND #rev = :rev)');
      expect(put.ExpressionAttributeValues).toEqual({ ':so': SOURCE_ORDER, ':rev': REVISION });
      expect(put.Item).toMatchObject({ revision: REVISION, sourceOrder: SOURCE_ORDER });
    }
  });

  it('does not write anything when a newer revision already holds the image item', async () => {
    // Prepare
    const logger = new RecordingLogger();
    dbMock
      .on(GetCommand)
      .resolves({ Item: { revision: 'ffffffffffffffff', sourceOrder: '000000000000000065A1B2C3D4E5F700', status: 'SUCCEEDED' } });

    // Act
    const result = await storeImage(success(), deps(logger));

    // Assess
    expect(result).toEqual({ imageId: IMAGE_ID, status: 'SUCCEEDED', written: false });
    expect(puts()).toHaveLength(0);
    expect(dbMock.commandCalls(DeleteCommand)).toHaveLength(0);
    expect(logger.entries[0]?.attributes).toMatchObject({ revision: success().revision, storedRevision: 'ffffffffffffffff' });
  });

  it('returns written false and removes its own search items when a newer revision wins the image write', async () => {
    // Prepare: the read saw nothing, but the image Put loses the race.
    refusePutOf('IMAGE');

    // Act
    const result = await storeImage(success(), deps());

    // Assess
    expect(result.written).toBe(false);
    const cleanup = dbMock.commandCalls(DeleteCommand).map((call) => call.args[0].input);
    expect(cleanup.map((d) => d.Key?.SK)).toEqual(expect.arrayContaining(['LABEL#Beach', 'PHASH#0']));
    expect(cleanup.every((d) => d.ConditionExpression === '#rev = :rev' && d.ExpressionAttributeValues?.[':rev'] === REVISION)).toBe(true);
  });

  it('keeps the original createdAt when replacing an older revision', async () => {
    // Prepare
    dbMock.on(GetCommand).resolves({
      Item: {
        revision: '0123456789abcdef',
        sourceOrder: '0000000000000000000000000000000A',
        status: 'SUCCEEDED',
        createdAt: '2026-01-01T00:00:00.000Z',
      },
    });

    // Act
    await storeImage(success(), deps());

    // Assess
    expect(puts().at(-1)?.Item).toMatchObject({ createdAt: '2026-01-01T00:00:00.000Z', updatedAt: NOW.toISOString() });
  });

  it('deletes label and hash items that the new revision no longer has, and only those', async () => {
    // Prepare: the previous revision had a Cat and a Beach label; Cat is gone now.
    dbMock.on(QueryCommand).resolves({ Items: [{ SK: 'IMAGE' }, { SK: 'LABEL#Beach' }, { SK: 'LABEL#Cat' }, { SK: 'PHASH#0' }] });

    // Act
    await storeImage(success(), deps());

    // Assess
    expect(deletedKeys()).toEqual(['LABEL#Cat']);
    const [del] = dbMock.commandCalls(DeleteCommand).map((call) => call.args[0].input);
    expect(del?.ConditionExpression).toBe('#so < :so OR (#so = :so AND #rev = :rev)');
    expect(dbMock.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': `IMAGE#${IMAGE_ID}` },
    });
  });

  it('reads every page of the image partition before cleaning up', async () => {
    // Prepare
    dbMock
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ SK: 'LABEL#Cat' }], LastEvaluatedKey: { PK: `IMAGE#${IMAGE_ID}`, SK: 'LABEL#Cat' } })
      .resolvesOnce({ Items: [{ SK: 'LABEL#Zebra' }] });

    // Act
    await storeImage(success(), deps());

    // Assess
    expect(dbMock.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({ PK: `IMAGE#${IMAGE_ID}`, SK: 'LABEL#Cat' });
    expect(deletedKeys().sort()).toEqual(['LABEL#Cat', 'LABEL#Zebra']);
  });

  it('ignores a refused delete of a search item that a newer revision rewrote meanwhile', async () => {
    // Prepare
    dbMock.on(QueryCommand).resolves({ Items: [{ SK: 'LABEL#Cat' }] });
    dbMock.on(DeleteCommand).rejects(conditionFailed());

    // Act
    const result = await storeImage(success(), deps());

    // Assess
    expect(result.written).toBe(true);
  });

  it('ignores a refused label write and still commits the image item', async () => {
    // Prepare
    refusePutOf('LABEL#Beach');

    // Act
    const result = await storeImage(success(), deps());

    // Assess
    expect(result.written).toBe(true);
    expect(puts().map((p) => p.Item?.SK)).toContain('LABEL#Beach');
    expect(puts().at(-1)?.Item?.SK).toBe('IMAGE');
  });

  it('lets DynamoDB throttling surface under its SDK name and leaves the image item unwritten', async () => {
    // Prepare
    dbMock.on(PutCommand).rejects(new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} }));

    // Act
    const run = storeImage(success(), deps());

    // Assess
    await expect(run).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    expect(puts().some((p) => p.Item?.SK === 'IMAGE')).toBe(false);
  });

  it('writes an image without analysis and removes its old labels', async () => {
    // Prepare
    const input = parseStoreRequest(loadStoreEvent('success-no-analysis')).input as StoreSuccessInput;
    dbMock.on(QueryCommand).resolves({ Items: [{ SK: 'LABEL#Dog' }, { SK: 'PHASH#1' }] });

    // Act
    const result = await storeImage(input, deps());

    // Assess
    expect(result.written).toBe(true);
    expect(puts().map((p) => p.Item?.SK)).toEqual(['PHASH#0', 'PHASH#1', 'PHASH#2', 'PHASH#3', 'IMAGE']);
    expect(deletedKeys()).toEqual(['LABEL#Dog']);
  });
});

describe('recordFailure', () => {
  it('writes a FAILED image item with the clean cause and removes search items', async () => {
    // Prepare
    dbMock.on(QueryCommand).resolves({ Items: [{ SK: 'IMAGE' }, { SK: 'LABEL#Dog' }, { SK: 'PHASH#0' }] });

    // Act
    const result = await recordFailure(failure(), deps());

    // Assess
    expect(result).toEqual({ imageId: failure().imageId, status: 'FAILED', written: true });
    const [put] = puts();
    expect(put?.Item).toMatchObject({
      status: 'FAILED',
      GSI1PK: 'STATUS#FAILED',
      error: { name: 'CorruptImageError', cause: 'The image data is corrupt: VipsJpeg: Premature end of input file' },
    });
    expect(put?.ConditionExpression).toBe(
      'attribute_not_exists(#pk) OR #so < :so OR (#so = :so AND #rev = :rev AND #status <> :succeeded)',
    );
    expect(put?.ExpressionAttributeValues).toMatchObject({ ':succeeded': 'SUCCEEDED' });
    expect(deletedKeys().sort()).toEqual(['LABEL#Dog', 'PHASH#0']);
  });

  it('never overwrites a SUCCEEDED item of a newer revision', async () => {
    // Prepare
    dbMock
      .on(GetCommand)
      .resolves({ Item: { revision: 'ffffffffffffffff', sourceOrder: 'F0000000000000000000000000000000', status: 'SUCCEEDED' } });

    // Act
    const result = await recordFailure(failure(), deps());

    // Assess
    expect(result).toEqual({ imageId: failure().imageId, status: 'FAILED', written: false });
    expect(puts()).toHaveLength(0);
    expect(dbMock.commandCalls(DeleteCommand)).toHaveLength(0);
  });

  it('does not replace a success of the same revision (a failed re-run of a stored revision)', async () => {
    // Prepare
    const input = failure();
    dbMock.on(GetCommand).resolves({ Item: { revision: input.revision, sourceOrder: input.source.sourceOrder, status: 'SUCCEEDED' } });

    // Act
    const result = await recordFailure(input, deps());

    // Assess
    expect(result.written).toBe(false);
    expect(puts()).toHaveLength(0);
  });

  it('replaces an earlier failure of the same revision with the latest error', async () => {
    // Prepare
    const input = failure();
    dbMock.on(GetCommand).resolves({
      Item: { revision: input.revision, sourceOrder: input.source.sourceOrder, status: 'FAILED', createdAt: '2026-11-25T11:00:00.000Z' },
    });

    // Act
    const result = await recordFailure(input, deps());

    // Assess
    expect(result.written).toBe(true);
    expect(puts()[0]?.Item).toMatchObject({ createdAt: '2026-11-25T11:00:00.000Z', status: 'FAILED' });
  });

  it('returns written false when the conditional write is refused after the read', async () => {
    // Prepare
    dbMock.on(PutCommand).rejects(conditionFailed());

    // Act
    const result = await recordFailure(failure(), deps());

    // Assess
    expect(result.written).toBe(false);
    expect(dbMock.commandCalls(DeleteCommand)).toHaveLength(0);
  });
});
