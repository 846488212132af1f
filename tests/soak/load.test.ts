import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordFigures } from '../hardening/support/figures';
import { imageIdOf, maxOverlap, PipelineClient } from '../hardening/support/pipeline-client';
import { groupRssKb, startStackChild, type StackChild } from '../hardening/support/stack-child';
import { inPool, smallImage } from './support/small-uploads';

/**
 * 500 small images uploaded as fast as the edge accepts them. All reach a final state, the stack's memory stays
 * under a fixed bound, and no more executions run at once than LOCAL_CONCURRENCY allows.
 */

const IMAGES = Number(process.env.LOAD_IMAGES ?? 500);
const CONCURRENCY = 2;
/** Upload requests in flight at once: enough to keep the edge saturated. */
const UPLOAD_PARALLELISM = 32;
/**
 * Bounds on resident memory: the stack process itself, and its whole process group (tsx and the vision workers, which
 * hold the face, object, NSFW and OCR models). Measured on 2 cores: about 830 MB and 2.1 GB at the peak.
 */
const MAX_STACK_RSS_MB = 1536;
const MAX_GROUP_RSS_MB = 3072;
/** Memory in the last quarter of the run may not outgrow the second quarter by more than this factor (no leak per image). */
const MAX_LATE_GROWTH = 1.5;
const RUN_TIMEOUT_MS = 45 * 60_000;

let dataDir: string;
let stack: StackChild | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sip-load-'));
});

afterAll(async () => {
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe(`local pipeline under a load of ${IMAGES} uploads`, () => {
  test(
    'brings every upload to a final state with bounded memory and the concurrency limit kept',
    async () => {
      // Prepare
      const uploads = await Promise.all(
        Array.from({ length: IMAGES }, async (_, index) => ({
          key: `uploads/load/${String(index).padStart(4, '0')}.jpg`,
          body: await smallImage(index),
        })),
      );
      stack = await startStackChild({ LOCAL_DATA_DIR: dataDir, LOCAL_CONCURRENCY: String(CONCURRENCY) });
      const client = new PipelineClient(stack.endpoints);
      const samples: Array<{ at: number; kb: number }> = [];
      const pgid = stack.pid;
      const sampler = setInterval(() => samples.push({ at: Date.now(), kb: groupRssKb(pgid) }), 500);

      // Act
      const uploadStarted = Date.now();
      await inPool(uploads, UPLOAD_PARALLELISM, async (upload) => {
        await client.upload(upload.key, upload.body, 'image/jpeg');
      });
      const uploadMs = Date.now() - uploadStarted;
      await client.waitForFinal(IMAGES, RUN_TIMEOUT_MS, 5000);
      const runMs = Date.now() - uploadStarted;
      clearInterval(sampler);
      const peakGroupKb = Math.max(...samples.map((sample) => sample.kb));
      const peakIn = (from: number, to: number) =>
        Math.max(
          0,
          ...samples
            .filter((sample) => sample.at >= uploadStarted + from * runMs && sample.at <= uploadStarted + to * runMs)
            .map((sample) => sample.kb),
        );
      const secondQuarterKb = peakIn(0.25, 0.5);
      const lastQuarterKb = peakIn(0.75, 1);
      const peakStackKb = stack.peakRssKb();

      // Assess
      const executions = await client.executions();
      const intervals = [];
      for (const execution of executions) intervals.push(await client.runInterval(execution.executionArn));
      const statuses: Record<string, number> = {};
      for (const execution of executions) statuses[execution.status] = (statuses[execution.status] ?? 0) + 1;
      const missingItems: string[] = [];
      for (const upload of uploads) {
        const items = await client.itemsOf(imageIdOf(client.uploadsBucket, upload.key));
        if (!items.some((item) => item.SK === 'IMAGE' && (item.status === 'SUCCEEDED' || item.status === 'FAILED')))
          missingItems.push(upload.key);
      }
      const mostAtOnce = maxOverlap(intervals);
      recordFigures('load', {
        images: IMAGES,
        uploadParallelism: UPLOAD_PARALLELISM,
        uploadSeconds: uploadMs / 1000,
        uploadsPerSecond: Math.round((IMAGES / uploadMs) * 1000 * 10) / 10,
        allFinalSeconds: runMs / 1000,
        statuses,
        concurrencyLimit: CONCURRENCY,
        mostExecutionsRunningAtOnce: mostAtOnce,
        peakStackGroupRssMb: Math.round(peakGroupKb / 1024),
        peakStackProcessRssMb: Math.round(peakStackKb / 1024),
        groupRssMbSecondQuarter: Math.round(secondQuarterKb / 1024),
        groupRssMbLastQuarter: Math.round(lastQuarterKb / 1024),
        lost: missingItems.length,
      });
      expect(executions).toHaveLength(IMAGES);
      expect(new Set(executions.map((e) => e.input.source.key)).size).toBe(IMAGES);
      expect(statuses).toEqual({ SUCCEEDED: IMAGES });
      expect(missingItems).toEqual([]);
      expect(mostAtOnce).toBeLessThanOrEqual(CONCURRENCY);
      expect(mostAtOnce).toBeGreaterThan(0);
      expect(peakStackKb / 1024).toBeLessThan(MAX_STACK_RSS_MB);
      expect(peakGroupKb / 1024).toBeLessThan(MAX_GROUP_RSS_MB);
      expect(lastQuarterKb).toBeLessThan(secondQuarterKb * MAX_LATE_GROWTH);
      client.destroy();
    },
    RUN_TIMEOUT_MS + 10 * 60_000,
  );
});
