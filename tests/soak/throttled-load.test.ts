import { GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordFigures } from '../hardening/support/figures';
import { imageIdOf, PipelineClient } from '../hardening/support/pipeline-client';
import { startStackChild, type StackChild } from '../hardening/support/stack-child';
import { inPool, smallImage } from './support/small-uploads';

/**
 * Issue 17's throttling finding, shown locally: each pipeline function may run only 2 invocations at once
 * (FunctionConcurrencyLimit=2, enforced by the local Lambda runtime as TooManyRequestsException), more executions
 * than that run at once, and DynamoDB writes and Rekognition calls fail now and then. The state machine's retry
 * budgets must carry every one of 500 uploads to SUCCEEDED, with nothing lost.
 */

const IMAGES = Number(process.env.THROTTLED_IMAGES ?? 500);
const FUNCTION_LIMIT = 2;
/** Executions at once: three times what each function can take, so invokes are throttled all the time. */
const EXECUTIONS_AT_ONCE = 6;
const FAULTS = 'dynamodb.write=0.05,rekognition.throttle=0.1';
const RUN_TIMEOUT_MS = 60 * 60_000;

let dataDir: string;
let stack: StackChild | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sip-throttled-'));
});

afterAll(async () => {
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe(`local pipeline with each function limited to ${FUNCTION_LIMIT} concurrent invocations`, () => {
  test(
    `carries ${IMAGES} uploads through Lambda throttling and injected faults to SUCCEEDED`,
    async () => {
      // Prepare
      const uploads = await Promise.all(
        Array.from({ length: IMAGES }, async (_, index) => ({
          key: `uploads/throttled/${String(index).padStart(4, '0')}.jpg`,
          body: await smallImage(index),
        })),
      );
      stack = await startStackChild({
        LOCAL_DATA_DIR: dataDir,
        LOCAL_CONCURRENCY: String(EXECUTIONS_AT_ONCE),
        LOCAL_PARAMETER_OVERRIDES: `FunctionConcurrencyLimit=${FUNCTION_LIMIT}`,
        LOCAL_FAULTS: FAULTS,
      });
      const client = new PipelineClient(stack.endpoints);

      // Act
      const started = Date.now();
      await inPool(uploads, 16, async (upload) => {
        await client.upload(upload.key, upload.body, 'image/jpeg');
      });
      await client.waitForFinal(IMAGES, RUN_TIMEOUT_MS, 5000);
      const runSeconds = (Date.now() - started) / 1000;

      // Assess
      const executions = await client.executions();
      const statuses: Record<string, number> = {};
      const throttledByState: Record<string, number> = {};
      for (const execution of executions) {
        statuses[execution.status] = (statuses[execution.status] ?? 0) + 1;
        const history = await client.sfn.send(new GetExecutionHistoryCommand({ executionArn: execution.executionArn, maxResults: 1000 }));
        let state = '';
        for (const event of history.events ?? []) {
          if (event.stateEnteredEventDetails?.name) state = event.stateEnteredEventDetails.name;
          if (event.taskFailedEventDetails?.error === 'Lambda.TooManyRequestsException')
            throttledByState[state] = (throttledByState[state] ?? 0) + 1;
        }
      }
      const lost: string[] = [];
      for (const upload of uploads) {
        const items = await client.itemsOf(imageIdOf(client.uploadsBucket, upload.key));
        if (!items.some((item) => item.SK === 'IMAGE' && item.status === 'SUCCEEDED')) lost.push(upload.key);
      }
      const throttles = Object.values(throttledByState).reduce((sum, n) => sum + n, 0);
      recordFigures('throttled-load', {
        images: IMAGES,
        functionLimit: FUNCTION_LIMIT,
        executionsAtOnce: EXECUTIONS_AT_ONCE,
        faults: FAULTS,
        runSeconds,
        statuses,
        throttles,
        throttledByState,
        lost: lost.length,
      });
      expect(executions).toHaveLength(IMAGES);
      expect(statuses).toEqual({ SUCCEEDED: IMAGES });
      expect(lost).toEqual([]);
      // The limit really bit: without throttles this test would show nothing about the retry budget.
      expect(throttles).toBeGreaterThan(IMAGES / 10);
      client.destroy();
    },
    RUN_TIMEOUT_MS + 10 * 60_000,
  );
});
