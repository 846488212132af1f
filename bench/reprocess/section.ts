import { seedReprocessWorld } from '../../tests/integration/support/reprocess-scenario';

/** What the reprocess section measured. */
export interface ReprocessBench {
  images: number;
  concurrency: number;
  seedSeconds: number;
  /** Reprocessing to a version with the same variants: ResizeImage returns the stored result (no S3 read or variant write). */
  reuseSeconds: number;
  reuseImagesPerMinute: number;
  /** Reprocessing to a version with other variants: every step runs. */
  fullSeconds: number;
  fullImagesPerMinute: number;
  /** A second run of the same selection (nothing selected). */
  secondRunSeconds: number;
  /** Images large enough to be analysed (the local vision service runs on each when it is seeded). */
  analysed: AnalysedReprocessBench;
}

/** Reprocessing analysed images: with the stored analysis reused (same analysis settings) and analysed again. */
export interface AnalysedReprocessBench {
  images: number;
  seedSeconds: number;
  /** To v4 (v1's settings): ResizeImage and AnalyseImage return the stored results, no vision call. */
  analysisReusedSeconds: number;
  analysisReusedImagesPerMinute: number;
  /** To v2 (other analysis settings, same variants): the resize is reused, every image is analysed again. */
  analysedAgainSeconds: number;
  analysedAgainImagesPerMinute: number;
}

const perMinute = (images: number, seconds: number) => Math.round((images / seconds) * 60);

/**
 * Seeds `images` analysable images, then reprocesses them to v4 (same analysis settings as v1: the stored variants and
 * analysis are reused) and then to v2 (other analysis settings: analysed again, variants reused).
 */
async function runAnalysedBench(images: number, concurrency: number, log: (line: string) => void): Promise<AnalysedReprocessBench> {
  const seedStarted = Date.now();
  const world = await seedReprocessWorld(images, 2, true);
  try {
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    log(`  seeded ${images} analysable images in ${seedSeconds.toFixed(1)} s`);
    const reused = await world.reprocess({ version: 'v4', where: 'all', maxConcurrency: concurrency });
    const again = await world.reprocess({ version: 'v2', where: 'all', maxConcurrency: concurrency });
    for (const [label, run, reusedAnalysis] of [
      ['v4', reused, images],
      ['v2', again, 0],
    ] as const) {
      if (run.status !== 'SUCCEEDED' || run.reprocessed !== images || run.reusedAnalysis !== reusedAnalysis)
        throw new Error(
          `reprocess to ${label}: ${run.status}, ${run.reprocessed} of ${images} reprocessed, ${run.reusedAnalysis} analyses reused, ${run.failed} failed`,
        );
    }
    const result = {
      images,
      seedSeconds,
      analysisReusedSeconds: reused.seconds,
      analysisReusedImagesPerMinute: perMinute(images, reused.seconds),
      analysedAgainSeconds: again.seconds,
      analysedAgainImagesPerMinute: perMinute(images, again.seconds),
    };
    log(
      `  analysable images at concurrency ${concurrency}: ${result.analysisReusedImagesPerMinute} images/min reusing variants and analysis, ${result.analysedAgainImagesPerMinute} images/min analysing again`,
    );
    return result;
  } finally {
    await world.stop();
  }
}

/**
 * Local reprocess throughput: seeds `images` small images (under 80 px, so no local vision model runs and the figure
 * is the orchestration's: Distributed Map children, pipeline runs, DynamoDB and S3) through the real pipeline, then
 * runs the reprocess state machine at `concurrency` to v2 (same variants) and to v3 (other variants); then the same
 * with `analysedImages` analysable images, with and without the stored analysis reused (runAnalysedBench).
 */
export async function runReprocessBench(
  images: number,
  analysedImages: number,
  concurrency: number,
  log: (line: string) => void,
): Promise<ReprocessBench> {
  const orchestration = await runOrchestrationBench(images, concurrency, log);
  return { ...orchestration, analysed: await runAnalysedBench(analysedImages, concurrency, log) };
}

/** The small-image part of runReprocessBench: the orchestration's own throughput. */
async function runOrchestrationBench(
  images: number,
  concurrency: number,
  log: (line: string) => void,
): Promise<Omit<ReprocessBench, 'analysed'>> {
  const seedStarted = Date.now();
  const world = await seedReprocessWorld(images);
  try {
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    log(`  seeded ${images} images in ${seedSeconds.toFixed(1)} s`);
    const reuse = await world.reprocess({ version: 'v2', where: 'all', maxConcurrency: concurrency });
    const second = await world.reprocess({ version: 'v2', where: 'all', maxConcurrency: concurrency });
    const full = await world.reprocess({ version: 'v3', where: 'all', maxConcurrency: concurrency });
    for (const [label, run] of [
      ['v2', reuse],
      ['v3', full],
    ] as const) {
      if (run.status !== 'SUCCEEDED' || run.reprocessed !== images)
        throw new Error(`reprocess to ${label}: ${run.status}, ${run.reprocessed} of ${images} reprocessed, ${run.failed} failed`);
    }
    log(
      `  reprocess at concurrency ${concurrency}: ${perMinute(images, reuse.seconds)} images/min reusing variants, ${perMinute(images, full.seconds)} images/min resizing; second run ${second.seconds.toFixed(1)} s (selected ${second.selected})`,
    );
    const orchestration = {
      images,
      concurrency,
      seedSeconds,
      reuseSeconds: reuse.seconds,
      reuseImagesPerMinute: perMinute(images, reuse.seconds),
      fullSeconds: full.seconds,
      fullImagesPerMinute: perMinute(images, full.seconds),
      secondRunSeconds: second.seconds,
    };
    return orchestration;
  } finally {
    await world.stop();
  }
}
