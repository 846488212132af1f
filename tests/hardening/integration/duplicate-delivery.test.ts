import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { S3EventRecord } from 'aws-lambda';
import { startLocalStack, type LocalStack } from '../../../local/stack';
import { fixture } from '../support/hostile-corpus';
import { imageIdOf, PipelineClient } from '../support/pipeline-client';

/** S3 delivers events at least once: the same record arriving 10 more times, at once, must change nothing. */

const TRIGGER = 'TriggerStepFunctionFunction';
const COPIES = 10;

let dataDir: string;
let stack: LocalStack;
let client: PipelineClient;
let lambda: LambdaClient;

interface TriggerSummary {
  started: number;
  duplicates: number;
  skipped: number;
  failed?: unknown[];
}

/** Delivers one S3 record to the trigger through Lambda's Invoke API on the edge, as S3 would, and returns its summary. */
async function deliver(record: S3EventRecord): Promise<TriggerSummary> {
  const response = await lambda.send(
    new InvokeCommand({ FunctionName: TRIGGER, Payload: Buffer.from(JSON.stringify({ Records: [record] })) }),
  );
  const payload = JSON.parse(Buffer.from(response.Payload ?? []).toString('utf8'));
  if (response.FunctionError) throw new Error(`trigger failed: ${JSON.stringify(payload)}`);
  return payload as TriggerSummary;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sip-duplicates-'));
  stack = await startLocalStack({ dataDir, edgePort: 0 });
  client = new PipelineClient(stack);
  lambda = new LambdaClient({
    endpoint: stack.edgeUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}, 120_000);

afterAll(async () => {
  lambda?.destroy();
  client?.destroy();
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('duplicate S3 event delivery', () => {
  test.each([
    ['while the first run is still going', 'uploads/duplicates/racing.jpg', false],
    ['after the first run has finished', 'uploads/duplicates/late.jpg', true],
  ])(
    'gives one execution, one revision of outputs and one Image Processed event when the event arrives 10 more times %s',
    async (_when, key, waitFirst) => {
      // Prepare: catch the very record S3 emits for the upload.
      const records: S3EventRecord[] = [];
      const unsubscribe = stack.services.s3.onObjectCreated((record) => {
        if (decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')) === key) records.push(record);
      });
      await client.upload(key, fixture('ai-face.jpg'), 'image/jpeg');
      await stack.services.s3.drainEvents();
      unsubscribe();
      expect(records.length).toBe(1);
      if (waitFirst) await stack.waitForIdle();

      // Act
      const summaries = await Promise.all(Array.from({ length: COPIES }, () => deliver(records[0])));
      await stack.waitForIdle();

      // Assess
      const imageId = imageIdOf(client.uploadsBucket, key);
      const executions = (await client.executions()).filter((e) => e.input.imageId === imageId);
      expect(executions.map((e) => `${e.status} ${e.error ?? ''}`.trim())).toEqual(['SUCCEEDED']);
      expect(summaries.every((s) => s.failed === undefined || s.failed.length === 0)).toBe(true);
      if (waitFirst) expect(summaries.map((s) => s.duplicates)).toEqual(Array(COPIES).fill(1));

      const items = await client.itemsOf(imageId);
      const imageItems = items.filter((item) => item.SK === 'IMAGE');
      expect(imageItems).toHaveLength(1);
      expect(imageItems[0]).toMatchObject({ status: 'SUCCEEDED', revision: executions[0].input.revision });
      expect(new Set(items.map((item) => item.SK)).size).toBe(items.length);

      const revisions = new Set((await client.processedKeys(`images/${imageId}/`)).map((k) => k.split('/')[2]));
      expect([...revisions]).toEqual([executions[0].input.revision]);

      const published = await stack.services.eventing.events.listEvents({ limit: 500 });
      const notices = published.items.filter((archived) => (archived.event.detail as { imageId?: string }).imageId === imageId);
      expect(notices.map((archived) => archived.event['detail-type'])).toEqual(['Image Processed']);
    },
    300_000,
  );
});
