import path from 'node:path';
import { loadConfig } from '../../functions/resize-image/src/config';
import { runTsChild } from '../lib/child';
import { generateInputs, makeUpscaled, SOURCE_PHOTOS, type BenchImage } from '../lib/inputs';
import { repoPath } from '../lib/paths';
import { functionEnvironment } from '../lib/template';
import { round } from '../lib/stats';
import { imageMagickAvailable, IMAGEMAGICK_CONVERT } from './contenders/imagemagick';
import { planOutputs } from './plan';
import type { WorkerResult, WorkerSpec } from './worker';

export type ContenderName = WorkerSpec['contender'];

/** How much to measure; --quick shrinks every dimension. */
export interface ResizeBenchOptions {
  tmpDir: string;
  photos: readonly string[];
  megapixels: readonly number[];
  /** Rounds for the sharp-based contenders (fast, so repeated to beat the noise). */
  fastRounds: number;
  /** Rounds for ImageMagick and jimp at concurrency 1 (slow; their ratios are large). */
  slowRounds: number;
  /** Rounds for ImageMagick and jimp at concurrency 2. */
  slowRoundsAtTwo: number;
  rssMegapixels: number;
  /** Contenders also measured on the big RSS image. */
  rssContenders: ContenderName[];
  log: (line: string) => void;
}

/** Per contender and concurrency, the estimates derived from its runs. */
export interface ThroughputSummary {
  imagesPerSecond: number;
  msPerImage: number;
  images: number;
  runs: number;
}

export interface ContenderSummary {
  available: boolean;
  missingReason?: string;
  byConcurrency: Record<string, ThroughputSummary>;
  peakRssMb: number | null;
  peakRssMbOnRssImage: number | null;
  outputsMatched: boolean;
}

export interface ResizeBenchResult {
  inputs: BenchImage[];
  rssImage: BenchImage;
  variantWidths: number[];
  estimator: string;
  contenders: Record<ContenderName, ContenderSummary>;
  runs: Array<Omit<WorkerResult, 'timings'> & { timings: Array<{ name: string; ms: number }> }>;
}

const WORKER = repoPath('bench', 'resize', 'worker.ts');
const CONTENDERS: ContenderName[] = ['ours', 'sharp-once', 'sharp-clone', 'imagemagick', 'jimp'];
const SLOW: ReadonlySet<ContenderName> = new Set(['imagemagick', 'jimp']);
const CONCURRENCIES = [1, 2];

/**
 * Estimates a contender's throughput from interleaved runs on a noisy shared machine. At concurrency 1 the
 * fastest time seen for each image is its cost (noise only ever adds time); at concurrency 2 the fastest
 * whole pass is used.
 */
export function summariseRuns(runs: WorkerResult[]): ThroughputSummary {
  if (runs[0].concurrency === 1) {
    const best = new Map<string, number>();
    for (const run of runs) for (const t of run.timings) best.set(t.name, Math.min(best.get(t.name) ?? Infinity, t.ms));
    const total = [...best.values()].reduce((a, b) => a + b, 0);
    return {
      imagesPerSecond: round((best.size / total) * 1000, 3),
      msPerImage: round(total / best.size, 1),
      images: best.size,
      runs: runs.length,
    };
  }
  const fastest = runs.reduce((a, b) => (a.wallMs / a.images <= b.wallMs / b.images ? a : b));
  return {
    imagesPerSecond: round((fastest.images / fastest.wallMs) * 1000, 3),
    msPerImage: round(fastest.wallMs / fastest.images, 1),
    images: fastest.images,
    runs: runs.length,
  };
}

/** Measures the resize step: our core, raw sharp (two ways), ImageMagick and jimp, each in its own child process. */
export async function runResizeBench(options: ResizeBenchOptions): Promise<ResizeBenchResult> {
  const { log } = options;
  const variantWidths = [...loadConfig(functionEnvironment('ResizeImageFunction')).variantWidths];
  const inputs = await generateInputs(path.join(options.tmpDir, 'resize'), options.photos, options.megapixels);
  const rssImage = await makeUpscaled(path.join(options.tmpDir, 'rss'), SOURCE_PHOTOS[1], options.rssMegapixels);
  const specInputs = (images: BenchImage[]) => images.map((i) => ({ name: i.name, path: i.path, plan: planOutputs(i, variantWidths) }));
  log(`resize: ${inputs.length} inputs (${options.megapixels.join(', ')} MP), RSS image ${rssImage.megapixels} MP`);

  const available = (name: ContenderName) => name !== 'imagemagick' || imageMagickAvailable();
  const runs: WorkerResult[] = [];
  const rounds = Math.max(options.fastRounds, options.slowRounds);
  for (let r = 0; r < rounds; r++) {
    for (const concurrency of CONCURRENCIES) {
      // Rotate the order each round, so no contender always runs right after another's load.
      const order = CONTENDERS.map((_, i) => CONTENDERS[(i + r) % CONTENDERS.length]);
      for (const name of order) {
        const allowed = SLOW.has(name) ? (concurrency === 1 ? options.slowRounds : options.slowRoundsAtTwo) : options.fastRounds;
        if (!available(name) || r >= allowed) continue;
        // ImageMagick starts a new convert per image, so a warm-up image would warm nothing it keeps.
        const spec: WorkerSpec = { contender: name, inputs: specInputs(inputs), concurrency, rounds: 1, warmup: name !== 'imagemagick' };
        const result = await runTsChild<WorkerResult>(WORKER, [JSON.stringify(spec)], 15 * 60_000);
        log(`  round ${r + 1} c=${concurrency} ${name}: ${(result.wallMs / 1000).toFixed(1)} s for ${result.images} images`);
        runs.push(result);
      }
    }
  }
  const rssRuns = new Map<ContenderName, WorkerResult>();
  for (const name of options.rssContenders.filter(available)) {
    const spec: WorkerSpec = { contender: name, inputs: specInputs([rssImage]), concurrency: 1, rounds: 1, warmup: false };
    const result = await runTsChild<WorkerResult>(WORKER, [JSON.stringify(spec)], 15 * 60_000);
    log(`  RSS ${rssImage.megapixels} MP ${name}: ${Math.round(result.peakRssMb)} MB in ${(result.wallMs / 1000).toFixed(1)} s`);
    rssRuns.set(name, result);
  }

  const contenders = {} as Record<ContenderName, ContenderSummary>;
  for (const name of CONTENDERS) {
    const own = runs.filter((run) => run.contender === name);
    const byConcurrency: Record<string, ThroughputSummary> = {};
    for (const c of CONCURRENCIES) {
      const atC = own.filter((run) => run.concurrency === c);
      if (atC.length > 0) byConcurrency[String(c)] = summariseRuns(atC);
    }
    contenders[name] = {
      available: available(name),
      ...(available(name) ? {} : { missingReason: `${IMAGEMAGICK_CONVERT} not found (apt-get install -y imagemagick)` }),
      byConcurrency,
      peakRssMb: own.length ? round(Math.max(...own.map((run) => run.peakRssMb)), 1) : null,
      peakRssMbOnRssImage: rssRuns.has(name) ? round(rssRuns.get(name)!.peakRssMb, 1) : null,
      outputsMatched: [...own, ...(rssRuns.has(name) ? [rssRuns.get(name)!] : [])].every(
        (run) => run.producedOutputs === run.expectedOutputs,
      ),
    };
  }
  const compact = [...runs, ...rssRuns.values()].map((run) => ({
    ...run,
    timings: run.timings.map((t) => ({ name: t.name, ms: round(t.ms, 1) })),
  }));
  return {
    inputs,
    rssImage,
    variantWidths,
    estimator:
      'c=1: sum over images of the fastest time seen per image; c=2: fastest whole pass. Each run is a fresh child process with one warm-up image.',
    contenders,
    runs: compact,
  };
}
