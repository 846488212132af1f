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
}

/**
 * Local reprocess throughput: seeds `images` small images (under 80 px, so no local vision model runs and the figure
 * is the orchestration's: Distributed Map children, pipeline runs, DynamoDB and S3) through the real pipeline, then
 * runs the reprocess state machine at `concurrency` to v2 (same variants) and to v3 (other variants).
 */
export async function runReprocessBench(images: number, concurrency: number, log: (line: string) => void): Promise<ReprocessBench> {
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
    const perMinute = (seconds: number) => Math.round((images / seconds) * 60);
    const result = {
      images,
      concurrency,
      seedSeconds,
      reuseSeconds: reuse.seconds,
      reuseImagesPerMinute: perMinute(reuse.seconds),
      fullSeconds: full.seconds,
      fullImagesPerMinute: perMinute(full.seconds),
      secondRunSeconds: second.seconds,
    };
    log(
      `  reprocess at concurrency ${concurrency}: ${result.reuseImagesPerMinute} images/min reusing variants, ${result.fullImagesPerMinute} images/min resizing; second run ${second.seconds.toFixed(1)} s (selected ${second.selected})`,
    );
    return result;
  } finally {
    await world.stop();
  }
}
