import { GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { readSamConfig } from '../../local/template/samconfig';
import { recordFigures } from '../hardening/support/figures';
import { fixture } from '../hardening/support/hostile-corpus';
import { imageIdOf, PipelineClient } from '../hardening/support/pipeline-client';
import { startStackChild, type StackChild } from '../hardening/support/stack-child';

/**
 * The local stack with LOCAL_FAULTS on (local/edge/faults.ts): Rekognition throttles 30% of calls, DynamoDB refuses
 * 10% of writes, and every S3 request waits 150 ms. Every run must retry and succeed, or fail with its reason recorded.
 */

const FAULTS = 'rekognition.throttle=0.3,dynamodb.write=0.1,s3.slow=150ms';
const IMAGES = 30;
const RUN_TIMEOUT_MS = 20 * 60_000;
const INJECTED = 'Injected by LOCAL_FAULTS';

/**
 * Local mode's PipelineConfig with near-duplicate reuse off. The photos are resized copies of 5 fixtures, so with reuse
 * on only ~5 runs call Rekognition at all, and then no throttle outlasting the SDK's retry reaches the state machine
 * in about 1 run of 4 (CI saw this): every run must really call Rekognition for the faults to be exercised.
 */
function configWithoutReuse(): string {
  const local = readSamConfig(join(__dirname, '..', '..', 'samconfig.toml')).parameterOverrides.PipelineConfig ?? '{}';
  return `PipelineConfig='${JSON.stringify({ ...JSON.parse(local), reuseNearDuplicates: false })}'`;
}

let dataDir: string;
let stack: StackChild | undefined;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sip-faults-'));
});

afterEach(async () => {
  await stack?.stop();
  stack = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

async function photos(count: number): Promise<Array<{ key: string; body: Buffer }>> {
  const sources = ['ai-face.jpg', 'ai-body.jpg', 'flowers.jpeg', 'background.jpg', 'group-1.jpg'];
  return Promise.all(
    Array.from({ length: count }, async (_, index) => ({
      key: `uploads/faults/${index + 1}-${sources[index % sources.length]}`,
      body: await sharp(fixture(sources[index % sources.length]))
        .resize(480 + index * 8)
        .jpeg({ quality: 80 })
        .toBuffer(),
    })),
  );
}

/** How often an injected fault shows in function logs (faults the SDK retried away leave no trace anywhere). */
async function injectedInLogs(): Promise<number> {
  const folder = join(dataDir, 'logs');
  let count = 0;
  for (const file of await readdir(folder).catch(() => [] as string[])) {
    count += (await readFile(join(folder, file), 'utf8')).split(INJECTED).length - 1;
  }
  return count;
}

describe('local pipeline under injected faults', () => {
  test(
    `ends all ${IMAGES} runs in SUCCEEDED, or FAILED with the reason in the execution and the table`,
    async () => {
      // Prepare
      const uploads = await photos(IMAGES);
      stack = await startStackChild({
        LOCAL_DATA_DIR: dataDir,
        LOCAL_FAULTS: FAULTS,
        LOCAL_CONCURRENCY: '2',
        LOCAL_PARAMETER_OVERRIDES: configWithoutReuse(),
      });
      const client = new PipelineClient(stack.endpoints);

      // Act
      await Promise.all(uploads.map((upload) => client.upload(upload.key, upload.body, 'image/jpeg')));
      await client.waitForFinal(IMAGES, RUN_TIMEOUT_MS);

      // Assess
      const executions = await client.executions();
      let retriedInStateMachine = 0;
      const faultedTasks: Record<string, number> = {};
      for (const execution of executions) {
        const history = await client.sfn.send(new GetExecutionHistoryCommand({ executionArn: execution.executionArn, maxResults: 1000 }));
        for (const event of history.events ?? []) {
          const text = JSON.stringify(event);
          if (!text.includes(INJECTED) || !/Failed/.test(event.type ?? '')) continue;
          retriedInStateMachine += 1;
          const error = /"error":"([A-Za-z]+)"/.exec(text)?.[1] ?? event.type!;
          faultedTasks[error] = (faultedTasks[error] ?? 0) + 1;
        }
      }
      const perImage = await Promise.all(
        uploads.map(async (upload) => {
          const execution = executions.filter((e) => e.input.source.key === upload.key);
          const item = (await client.itemsOf(imageIdOf(client.uploadsBucket, upload.key))).find((entry) => entry.SK === 'IMAGE');
          return { key: upload.key, statuses: execution.map((e) => e.status), error: execution[0]?.error, item };
        }),
      );
      const failed = perImage.filter((entry) => entry.statuses[0] === 'FAILED');
      recordFigures('injected-faults', {
        faults: FAULTS,
        images: IMAGES,
        succeeded: perImage.filter((entry) => entry.statuses[0] === 'SUCCEEDED').length,
        failedWithReason: failed.map((entry) => `${entry.key}: ${entry.error} (item ${entry.item?.status ?? 'missing'})`),
        faultsSeenByStateMachine: retriedInStateMachine,
        faultsByError: faultedTasks,
        faultsInFunctionLogs: await injectedInLogs(),
        lost: perImage.filter((entry) => !entry.item).length,
      });
      for (const entry of perImage) {
        expect(entry.statuses).toHaveLength(1);
        if (entry.statuses[0] === 'SUCCEEDED') {
          expect({ key: entry.key, item: entry.item?.status }).toEqual({ key: entry.key, item: 'SUCCEEDED' });
        } else {
          expect({ key: entry.key, status: entry.statuses[0], item: entry.item?.status, recorded: entry.item?.error?.name }).toEqual({
            key: entry.key,
            status: 'FAILED',
            item: 'FAILED',
            recorded: entry.error,
          });
        }
      }
      expect(retriedInStateMachine).toBeGreaterThan(0);
      client.destroy();
    },
    RUN_TIMEOUT_MS + 5 * 60_000,
  );

  test(
    'records ThrottlingException as the reason when Rekognition throttles every call, after the retries',
    async () => {
      // Prepare
      const uploads = await photos(3);
      stack = await startStackChild({ LOCAL_DATA_DIR: dataDir, LOCAL_FAULTS: 'rekognition.throttle=1', LOCAL_CONCURRENCY: '2' });
      const client = new PipelineClient(stack.endpoints);

      const asl = JSON.parse(await readFile(join(__dirname, '..', '..', 'statemachine', 'image-pipeline.asl.json'), 'utf8'));
      const serviceThrottleRetries: number = asl.States.AnalyseImage.Retry.find((retrier: { ErrorEquals: string[] }) =>
        retrier.ErrorEquals.includes('ThrottlingException'),
      ).MaxAttempts;

      // Act
      await Promise.all(uploads.map((upload) => client.upload(upload.key, upload.body, 'image/jpeg')));
      await client.waitForFinal(uploads.length, RUN_TIMEOUT_MS);

      // Assess
      const executions = await client.executions();
      for (const upload of uploads) {
        const [execution] = executions.filter((e) => e.input.source.key === upload.key);
        const item = (await client.itemsOf(imageIdOf(client.uploadsBucket, upload.key))).find((entry) => entry.SK === 'IMAGE');
        const history = await client.sfn.send(new GetExecutionHistoryCommand({ executionArn: execution.executionArn, maxResults: 1000 }));
        const analyseAttempts = (history.events ?? []).filter(
          (event) => event.type === 'TaskScheduled' && JSON.stringify(event).includes('RekognitionLabels'),
        ).length;
        expect({ status: execution.status, error: execution.error, item: item?.status, reason: item?.error?.name }).toEqual({
          status: 'FAILED',
          error: 'ThrottlingException',
          item: 'FAILED',
          reason: 'ThrottlingException',
        });
        expect(String(item?.error?.cause)).toContain(INJECTED);
        expect(analyseAttempts).toBe(serviceThrottleRetries + 1); // the first try and every retry the ASL allows
      }
      client.destroy();
    },
    RUN_TIMEOUT_MS,
  );
});
