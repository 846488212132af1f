import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, GetObjectTaggingCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { imageIdFor, imagePk, imagePrefix, RAW_ANALYSIS_TAG, revisionFor, revisionPrefix } from '@smart-image-pipeline/contracts';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { edgeClients, FIXTURES } from './support/clients';

jest.setTimeout(180_000);

/**
 * Deleting an upload in local mode: S3's ObjectRemoved notification reaches CleanUpImageFunction through the same
 * template wiring as in AWS, and what the pipeline kept for the image goes with it.
 */
describe('a deleted upload in local mode', () => {
  let dataDir: string;
  let stack: LocalStack;
  let clients: ReturnType<typeof edgeClients>;
  const key = 'uploads/clean-up/flowers.jpeg';
  let imageId: string;

  const items = async () =>
    (
      await clients.documents.send(
        new QueryCommand({
          TableName: stack.resources.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': imagePk(imageId) },
        }),
      )
    ).Items ?? [];
  const outputs = async (prefix = imagePrefix(imageId)) =>
    ((await clients.s3.send(new ListObjectsV2Command({ Bucket: stack.resources.processedBucket, Prefix: prefix }))).Contents ?? []).map(
      (object) => object.Key,
    );
  const upload = async () => {
    const put = await clients.s3.send(
      new PutObjectCommand({ Bucket: stack.resources.uploadsBucket, Key: key, Body: await readFile(join(FIXTURES, 'flowers.jpeg')) }),
    );
    await stack.waitForIdle();
    return put.VersionId as string;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sip-clean-up-'));
    stack = await startLocalStack({ dataDir, edgePort: 0, concurrency: 2, asyncRetryDelayMs: 50 });
    clients = edgeClients(stack.edgeUrl);
    imageId = imageIdFor(stack.resources.uploadsBucket, key);
  });

  afterAll(async () => {
    clients?.destroy();
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('removes the items, variants and raw responses, and leaves a DELETED item that is not indexed', async () => {
    // Prepare
    await upload();
    const before = await items();
    expect(before.find((item) => item.SK === 'IMAGE')?.status).toBe('SUCCEEDED');
    expect(before.length).toBeGreaterThan(1);
    expect((await outputs()).some((object) => object?.endsWith('/rekognition/detect-labels.json'))).toBe(true);

    // Act
    await clients.s3.send(new DeleteObjectCommand({ Bucket: stack.resources.uploadsBucket, Key: key }));
    await stack.waitForIdle();

    // Assess
    const after = await items();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ SK: 'IMAGE', status: 'DELETED' });
    expect(after[0]).not.toHaveProperty('GSI1PK');
    expect(await outputs()).toEqual([]);
  });

  it('processes the key again when it is uploaded after the deletion', async () => {
    // Act
    await upload();

    // Assess
    expect((await items()).find((item) => item.SK === 'IMAGE')?.status).toBe('SUCCEEDED');
    expect((await outputs()).length).toBeGreaterThan(2);
  });

  it("prunes a replaced revision's outputs once the new one is stored, and deleting that old version then touches nothing current", async () => {
    // Prepare: two more uploads of the key; the second one's Image Processed reaches PruneSupersededRule, whose
    // CleanUpImageFunction removes the outputs of the revision it replaced.
    const older = await upload();
    const olderPrefix = revisionPrefix(imageId, revisionFor(stack.resources.uploadsBucket, key, older));
    expect((await outputs(olderPrefix)).length).toBeGreaterThan(2);
    await upload();
    const stored = (await items()).find((item) => item.SK === 'IMAGE')!;
    expect(stored.revision).not.toBe(revisionFor(stack.resources.uploadsBucket, key, older));
    expect(await outputs(olderPrefix)).toEqual([]);
    const current = (await outputs(revisionPrefix(imageId, stored.revision))).sort();
    expect(current.length).toBeGreaterThan(2);

    // Act
    await clients.s3.send(new DeleteObjectCommand({ Bucket: stack.resources.uploadsBucket, Key: key, VersionId: older }));
    await stack.waitForIdle();

    // Assess
    expect((await items()).find((item) => item.SK === 'IMAGE')).toMatchObject({ status: 'SUCCEEDED', revision: stored.revision });
    expect(await outputs(olderPrefix)).toEqual([]);
    expect((await outputs(revisionPrefix(imageId, stored.revision))).sort()).toEqual(current);
  });

  it('expires raw Rekognition responses after RawAnalysisRetentionDays and keeps the variants', async () => {
    // Prepare
    const stored = (await items()).find((item) => item.SK === 'IMAGE')!;
    const prefix = revisionPrefix(imageId, stored.revision);
    const raw = (await outputs(prefix)).filter((object) => object!.includes('/rekognition/'));
    const tagging = await clients.s3.send(new GetObjectTaggingCommand({ Bucket: stack.resources.processedBucket, Key: raw[0] }));
    const bucket = stack.app.buckets.find((candidate) => candidate.name === stack.resources.processedBucket)!;
    const days = Number(stack.app.parameters.RawAnalysisRetentionDays);

    // Act
    await stack.services.s3.applyLifecycle(bucket.name, bucket.lifecycleRules, new Date(Date.now() + (days - 1) * 86_400_000));
    const beforeTheDay = await outputs(prefix);
    await stack.services.s3.applyLifecycle(bucket.name, bucket.lifecycleRules, new Date(Date.now() + (days + 1) * 86_400_000));

    // Assess
    expect(raw.length).toBeGreaterThan(0);
    expect(tagging.TagSet).toEqual([{ Key: RAW_ANALYSIS_TAG.key, Value: RAW_ANALYSIS_TAG.value }]);
    expect(beforeTheDay).toEqual(expect.arrayContaining(raw));
    const after = await outputs(prefix);
    expect(after.filter((object) => object!.includes('/rekognition/'))).toEqual([]);
    expect(after.filter((object) => /\/w\d+\.(webp|jpg)$/.test(object!)).length).toBeGreaterThan(1);
  });
});
