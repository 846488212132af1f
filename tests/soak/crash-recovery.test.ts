import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { recordFigures } from '../hardening/support/figures';
import { fixture } from '../hardening/support/hostile-corpus';
import { imageIdOf, PipelineClient } from '../hardening/support/pipeline-client';
import { startStackChild, type StackChild } from '../hardening/support/stack-child';

/**
 * `kill -9` of the local stack in the middle of a 20-image run, then a restart on the same data folder; then a second
 * `kill -9` right after 10 more uploads are stored (before their events are handled), and another restart.
 */

const IMAGES = 20;
const LATE_IMAGES = 10;
const RUN_TIMEOUT_MS = 15 * 60_000;

let dataDir: string;
let running: StackChild | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sip-crash-'));
});

afterAll(async () => {
  await running?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Twenty different small photos: one fixture, each tinted differently so the bytes and hashes differ. */
async function photos(count: number, offset = 0): Promise<Array<{ key: string; body: Buffer }>> {
  const base = await sharp(fixture('ai-face.jpg')).resize(320).toBuffer();
  return Promise.all(
    Array.from({ length: count }, async (_, at) => {
      const index = at + offset;
      return {
        key: `uploads/crash/photo ${index + 1}.jpg`,
        body: await sharp(base)
          .tint({ r: (40 + index * 7) % 256, g: (255 - index * 7) % 256, b: 128 })
          .jpeg({ quality: 80 })
          .toBuffer(),
      };
    }),
  );
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('local stack killed with SIGKILL mid-run', () => {
  test(
    `brings all ${IMAGES + LATE_IMAGES} images to a final state after two crashes, without duplicate runs or items`,
    async () => {
      // Prepare
      const uploads = await photos(IMAGES);
      const lateUploads = await photos(LATE_IMAGES, IMAGES);
      running = await startStackChild({ LOCAL_DATA_DIR: dataDir, LOCAL_CONCURRENCY: '2' });
      const first = new PipelineClient(running.endpoints);
      await Promise.all(uploads.map((upload) => first.upload(upload.key, upload.body, 'image/jpeg')));
      let beforeKill: Record<string, number> = {};
      await waitUntil(async () => {
        const listed = await first.listExecutions();
        beforeKill = countBy(listed.map((e) => e.status));
        return (beforeKill.SUCCEEDED ?? 0) >= 2;
      }, 5 * 60_000);
      first.destroy();

      // Act
      await running.kill9();
      running = await startStackChild({ LOCAL_DATA_DIR: dataDir, LOCAL_CONCURRENCY: '2' });
      const recovered = running.endpoints.recovered;
      const second = new PipelineClient(running.endpoints);
      await Promise.all(lateUploads.map((upload) => second.upload(upload.key, upload.body, 'image/jpeg')));
      second.destroy();
      await running.kill9();
      running = await startStackChild({ LOCAL_DATA_DIR: dataDir, LOCAL_CONCURRENCY: '2' });
      const recoveredAgain = running.endpoints.recovered;
      const client = new PipelineClient(running.endpoints);
      await client.waitForFinal(IMAGES + LATE_IMAGES, RUN_TIMEOUT_MS);
      uploads.push(...lateUploads);

      // Assess
      const executions = await client.executions();
      const perImage = await Promise.all(
        uploads.map(async (upload) => {
          const imageId = imageIdOf(client.uploadsBucket, upload.key);
          const items = await client.itemsOf(imageId);
          const revisions = new Set((await client.processedKeys(`images/${imageId}/`)).map((key) => key.split('/')[2]));
          return {
            key: upload.key,
            executions: executions.filter((e) => e.input.imageId === imageId).map((e) => e.status),
            imageItems: items.filter((item) => item.SK === 'IMAGE').map((item) => item.status),
            uniqueSortKeys: new Set(items.map((item) => item.SK)).size === items.length,
            revisions: revisions.size,
            kept: (await client.read(upload.key)).body.equals(upload.body),
          };
        }),
      );
      recordFigures('crash-recovery', {
        images: IMAGES + LATE_IMAGES,
        statusesAtKill: beforeKill,
        recoveredAtFirstRestart: recovered,
        lateImages: LATE_IMAGES,
        recoveredAtSecondRestart: recoveredAgain,
        finalStatuses: countBy(executions.map((e) => e.status)),
        lost: perImage.filter((entry) => entry.imageItems.length === 0).length,
      });
      for (const entry of perImage) {
        expect(entry).toEqual({
          key: entry.key,
          executions: ['SUCCEEDED'],
          imageItems: ['SUCCEEDED'],
          uniqueSortKeys: true,
          revisions: 1,
          kept: true,
        });
      }
      expect(executions).toHaveLength(IMAGES + LATE_IMAGES);
      expect(recovered.executions + recovered.uploads).toBeGreaterThan(0);
      expect(recoveredAgain.executions + recoveredAgain.uploads).toBeGreaterThan(0);
      client.destroy();
    },
    RUN_TIMEOUT_MS + 5 * 60_000,
  );
});

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
