import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { peakRssMb } from '../lib/memory';
import type { Contender, ResizeJob } from './contender';
import type { OutputPlan } from './plan';

/** What the parent asks one child to measure. */
export interface WorkerSpec {
  contender: 'ours' | 'sharp-once' | 'sharp-clone' | 'imagemagick' | 'jimp';
  inputs: Array<{ name: string; path: string; plan: OutputPlan }>;
  concurrency: number;
  rounds: number;
  warmup: boolean;
}

/** One timed image. */
export interface ImageTiming {
  name: string;
  ms: number;
  outputs: number;
  outputBytes: number;
}

/** What one child reports. */
export interface WorkerResult {
  contender: string;
  concurrency: number;
  loadMs: number;
  wallMs: number;
  images: number;
  timings: ImageTiming[];
  /** Peak RSS of the process that did the image work (the convert children for ImageMagick). */
  peakRssMb: number;
  expectedOutputs: number;
  producedOutputs: number;
}

async function loadContender(name: WorkerSpec['contender']): Promise<Contender & { peakChildRssMb?: () => number }> {
  switch (name) {
    case 'ours':
      return (await import('./contenders/ours')).oursContender();
    case 'sharp-once':
      return (await import('./contenders/sharp-raw')).sharpOnceContender();
    case 'sharp-clone':
      return (await import('./contenders/sharp-raw')).sharpCloneContender();
    case 'imagemagick':
      return (await import('./contenders/imagemagick')).imageMagickContender();
    case 'jimp':
      return (await import('./contenders/jimp')).jimpContender();
  }
}

/** Runs the jobs with `concurrency` images in flight at once, timing each. */
async function runPool(contender: Contender, jobs: ResizeJob[], concurrency: number): Promise<ImageTiming[]> {
  const timings: ImageTiming[] = [];
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      const start = performance.now();
      const result = await contender.run(job);
      timings.push({ name: job.name, ms: performance.now() - start, ...result });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return timings;
}

async function main(): Promise<void> {
  const [specJson, resultFile] = process.argv.slice(2);
  const spec = JSON.parse(specJson) as WorkerSpec;
  const loadStart = performance.now();
  const contender = await loadContender(spec.contender);
  const loadMs = performance.now() - loadStart;
  const jobs: ResizeJob[] = spec.inputs.map((input) => ({ ...input, bytes: readFileSync(input.path) }));
  if (spec.warmup) await contender.run(jobs[0]);

  const schedule = Array.from({ length: spec.rounds }, () => jobs).flat();
  const wallStart = performance.now();
  const timings = await runPool(contender, schedule, spec.concurrency);
  const wallMs = performance.now() - wallStart;

  const expectedOutputs = schedule.reduce((n, job) => n + job.plan.sides.length * 2 + (job.plan.analysisCopy ? 1 : 0), 0);
  const result: WorkerResult = {
    contender: spec.contender,
    concurrency: spec.concurrency,
    loadMs,
    wallMs,
    images: timings.length,
    timings,
    peakRssMb: contender.peakChildRssMb ? contender.peakChildRssMb() : (peakRssMb() ?? 0),
    expectedOutputs,
    producedOutputs: timings.reduce((n, t) => n + t.outputs, 0),
  };
  writeFileSync(resultFile, JSON.stringify(result));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
