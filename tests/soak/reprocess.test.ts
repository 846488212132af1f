import { recordFigures } from '../hardening/support/figures';
import { maxRunOverlap, seedReprocessWorld, type ReprocessWorld } from '../integration/support/reprocess-scenario';

/**
 * Issue 13's acceptance run: 1,000 images seeded through the real pipeline, then reprocessed to v2 by the reprocess
 * state machine with concurrency 4 (Distributed Map children running the image pipeline). Nothing is lost, no image
 * runs twice, at most 4 pipeline runs overlap, and a second run of the same selection does no work.
 */

const IMAGES = Number(process.env.REPROCESS_IMAGES ?? 1000);
const CONCURRENCY = 4;
const RUN_TIMEOUT_MS = 40 * 60_000;
let world: ReprocessWorld;

afterAll(async () => {
  await world?.stop();
});

describe(`reprocessing ${IMAGES} seeded images locally`, () => {
  test(
    'reprocesses each image exactly once at concurrency 4, and a second run does nothing',
    async () => {
      // Prepare
      const seedStarted = Date.now();
      world = await seedReprocessWorld(IMAGES);
      const seedSeconds = (Date.now() - seedStarted) / 1000;
      const runsBefore = new Set((await world.pipelineRuns()).map((run) => run.name));

      // Act
      const first = await world.reprocess({ version: 'v2', where: 'all', maxConcurrency: CONCURRENCY });
      const afterFirst = await world.pipelineRuns();
      const second = await world.reprocess({ version: 'v2', where: 'all', maxConcurrency: CONCURRENCY });
      const afterSecond = await world.pipelineRuns();

      // Assess
      const reprocessRuns = afterFirst.filter((run) => !runsBefore.has(run.name));
      const perImage = new Map<string, number>();
      for (const run of reprocessRuns) perImage.set(run.name!.slice(4, 36), (perImage.get(run.name!.slice(4, 36)) ?? 0) + 1);
      const images = await world.images();
      const lost = world.imageIds.filter((id) => images.get(id)?.status !== 'SUCCEEDED' || images.get(id)?.pipelineVersion !== 'v2');
      const duplicates = [...perImage.values()].filter((runs) => runs > 1).length;
      recordFigures('reprocess', {
        images: IMAGES,
        concurrency: CONCURRENCY,
        seedSeconds,
        reprocessSeconds: first.seconds,
        imagesPerMinute: Math.round((IMAGES / first.seconds) * 60),
        secondRunSeconds: second.seconds,
        maxOverlap: maxRunOverlap(reprocessRuns),
        lost: lost.length,
        duplicates,
      });
      expect(first).toMatchObject({ status: 'SUCCEEDED', selected: IMAGES, reprocessed: IMAGES, failed: 0 });
      expect(lost).toEqual([]);
      expect(duplicates).toBe(0);
      expect(perImage.size).toBe(IMAGES);
      expect(maxRunOverlap(reprocessRuns)).toBeLessThanOrEqual(CONCURRENCY);
      expect(second).toMatchObject({ status: 'SUCCEEDED', selected: 0, reprocessed: 0, alreadyCurrent: IMAGES });
      expect(afterSecond.length).toBe(afterFirst.length);
    },
    RUN_TIMEOUT_MS,
  );
});
