import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { maxRunOverlap, seedReprocessWorld, type ReprocessWorld } from './support/reprocess-scenario';

/**
 * The reprocess state machine (statemachine/reprocess.asl.json) on the local engine with the real handlers: a
 * Distributed Map over an S3 manifest whose children run the image pipeline (startExecution.sync:2). The 1,000-image
 * run of the same scenario is tests/soak/reprocess.test.ts.
 */

const IMAGES = 24;
const CONCURRENCY = 4;
/** Each run starts and waits on dozens of pipeline runs: seconds alone, longer on a loaded machine. */
const TEST_TIMEOUT_MS = 300_000;
let world: ReprocessWorld;

beforeAll(async () => {
  world = await seedReprocessWorld(IMAGES);
}, 600_000);

afterAll(async () => {
  await world?.stop();
});

describe('bulk reprocessing in local mode', () => {
  it(
    'refuses an unknown version before selecting anything, and changes nothing',
    async () => {
      // Prepare
      const before = await world.images();
      const runsBefore = (await world.pipelineRuns()).length;

      // Act
      const summary = await world.reprocess({ version: 'v9', where: 'all' });

      // Assess
      expect(summary.status).toBe('FAILED');
      expect(summary.error?.name).toBe('UnknownPipelineVersionError');
      expect(summary.error?.cause).toContain('v1, v2, v3');
      expect(await world.images()).toEqual(before);
      expect((await world.pipelineRuns()).length).toBe(runsBefore);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'succeeds with 0 for a selection that matches nothing',
    async () => {
      // Act
      const summary = await world.reprocess({ version: 'v2', where: 'label=Unicorn' });

      // Assess
      expect(summary).toMatchObject({ status: 'SUCCEEDED', selected: 0, reprocessed: 0, failed: 0, resultsManifest: null });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reprocesses every image once at the bounded concurrency, reusing the stored variants, and a second run does nothing',
    async () => {
      // Prepare
      const runsBefore = new Set((await world.pipelineRuns()).map((run) => run.name));

      // Act
      const first = await world.reprocess({ version: 'v2', where: 'all', maxConcurrency: CONCURRENCY });
      const afterFirst = await world.pipelineRuns();
      const second = await world.reprocess({ version: 'v2', where: 'all', maxConcurrency: CONCURRENCY });
      const afterSecond = await world.pipelineRuns();

      // Assess
      expect(first).toMatchObject({
        status: 'SUCCEEDED',
        selected: IMAGES,
        reprocessed: IMAGES,
        reusedResize: IMAGES,
        skipped: 0,
        failed: 0,
      });
      const reprocessRuns = afterFirst.filter((run) => !runsBefore.has(run.name));
      expect(reprocessRuns).toHaveLength(IMAGES);
      expect(new Set(reprocessRuns.map((run) => run.name!.slice(4, 36)))).toEqual(new Set(world.imageIds));
      expect(reprocessRuns.every((run) => run.status === 'SUCCEEDED')).toBe(true);
      expect(maxRunOverlap(reprocessRuns)).toBeLessThanOrEqual(CONCURRENCY);
      const images = await world.images();
      expect([...images.values()].every((image) => image.status === 'SUCCEEDED' && image.pipelineVersion === 'v2')).toBe(true);
      expect(second).toMatchObject({ status: 'SUCCEEDED', selected: 0, alreadyCurrent: IMAGES, reprocessed: 0 });
      expect(afterSecond.length).toBe(afterFirst.length);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'resizes again when the target version writes other variants, selecting by older version',
    async () => {
      // Act
      const summary = await world.reprocess({ version: 'v3', where: 'older-than=v3', maxConcurrency: CONCURRENCY });

      // Assess
      expect(summary).toMatchObject({ status: 'SUCCEEDED', selected: IMAGES, reprocessed: IMAGES, reusedResize: 0, failed: 0 });
      const images = await world.images();
      expect([...images.values()].every((image) => image.pipelineVersion === 'v3')).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'processes each image once when two runs of the same version start together; the other run counts it skipped',
    async () => {
      // Prepare: every image is at v3 now; both runs take all of them back to v1.
      const runsBefore = new Set((await world.pipelineRuns()).map((run) => run.name));

      // Act
      const [one, two] = await Promise.all([
        world.reprocess({ version: 'v1', where: 'all', maxConcurrency: CONCURRENCY }),
        world.reprocess({ version: 'v1', where: 'all', maxConcurrency: CONCURRENCY }),
      ]);
      const newRuns = (await world.pipelineRuns()).filter((run) => !runsBefore.has(run.name));

      // Assess
      expect([one.status, two.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
      expect(one.selected + two.selected).toBeGreaterThanOrEqual(IMAGES);
      expect(one.reprocessed + two.reprocessed).toBe(IMAGES);
      expect(one.skipped + two.skipped).toBe(one.selected + two.selected - IMAGES);
      expect([one.failed, two.failed]).toEqual([0, 0]);
      const runsPerImage = new Map<string, number>();
      for (const run of newRuns) runsPerImage.set(run.name!.slice(4, 36), (runsPerImage.get(run.name!.slice(4, 36)) ?? 0) + 1);
      expect([...runsPerImage.keys()].sort()).toEqual(world.imageIds);
      expect([...runsPerImage.values()].filter((count) => count > 1)).toEqual([]);
      const images = await world.images();
      expect([...images.values()].every((image) => image.status === 'SUCCEEDED' && image.pipelineVersion === 'v1')).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'gives a claim back when its pipeline run fails, so the next run of that version tries the image again at once',
    async () => {
      // Prepare: one image's item names an upload key that does not exist, so resizing it for v3 (other variants) fails;
      // the failure is not recorded over the stored success, so the next run selects it again.
      const [broken] = world.imageIds;
      await world.db.send(
        new UpdateCommand({
          TableName: world.stack.resources.tableName,
          Key: { PK: `IMAGE#${broken}`, SK: 'IMAGE' },
          UpdateExpression: 'SET #source.#key = :missing',
          ExpressionAttributeNames: { '#source': 'source', '#key': 'key' },
          ExpressionAttributeValues: { ':missing': 'uploads/seed/missing.png' },
        }),
      );
      const runsOf = async (imageId: string) => (await world.pipelineRuns()).filter((run) => run.name!.slice(4, 36) === imageId).length;
      const before = await runsOf(broken);

      // Act
      const first = await world.reprocess({ version: 'v3', where: 'all', maxConcurrency: CONCURRENCY });
      const afterFirst = await runsOf(broken);
      const second = await world.reprocess({ version: 'v3', where: 'all', maxConcurrency: CONCURRENCY });

      // Assess
      expect(first).toMatchObject({ status: 'SUCCEEDED', selected: IMAGES, reprocessed: IMAGES - 1, failed: 1 });
      expect(afterFirst).toBe(before + 1);
      // The second run's one child fails again (100 % > the 5 % tolerated, so that run fails): it was tried, not skipped.
      expect(second.skipped).toBe(0);
      expect(await runsOf(broken)).toBe(afterFirst + 1);
    },
    TEST_TIMEOUT_MS,
  );
});
