/**
 * `npm run bench:vision`: model load time (cold, then with the weight cache), warm time per call on the
 * fixture images, peak RSS of the service and its workers (targets from issue 3), and the analysis quality on the
 * labelled evaluation photos (quality.ts, targets from issue 16). `npm run bench:vision -- --quality` runs only
 * the quality part; `-- --calibration` prints the scene cues on the held-out calibration photos (calibration.ts);
 * `-- --moderation-scores [FILE...]` nsfwjs' class scores on them and on the files named (moderation-scores.ts).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { LocalRekognitionService as LocalVisionService } from '../../local/services/rekognition/rekognition-service';
import { printCalibration } from './calibration';
import { printModerationScores } from './moderation-scores';
import { runLabelCalibration, runQuality } from './quality';
import { ServiceProcess } from './service-client';

const FIXTURES = join(__dirname, '..', '..', 'tests', 'fixtures', 'images');
const PHOTOS = ['ai-face.jpg', 'ai-body.jpg', 'cgi-multiangle-1.jpg', 'background.jpg', 'flowers.jpeg', 'group-1.jpg'];
const RUNS = Number(process.env.BENCH_VISION_RUNS ?? 5);
// Linux reports process CPU time in clock ticks of 10 ms (CLK_TCK 100).
const TICK_MS = 10;

const CALLS = {
  DetectFaces: { Attributes: ['ALL'] },
  DetectLabels: { Features: ['GENERAL_LABELS', 'IMAGE_PROPERTIES'] },
  DetectModerationLabels: {},
  DetectText: {},
} as const;
type Call = keyof typeof CALLS;

/** A page of text, like a scanned letter, for DetectText's document target. */
async function documentImage(): Promise<Buffer> {
  const lines = [
    'Smart Image Pipeline',
    'Invoice 2026-1125',
    'Item one: resize and convert',
    'Item two: labels and faces',
    'Item three: moderation check',
    'Item four: text detection',
    'Total due within thirty days',
    'Thank you for your order',
  ];
  const text = lines
    .map((line, index) => `<text x="60" y="${100 + index * 70}" font-family="sans-serif" font-size="40" fill="black">${line}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="680"><rect width="100%" height="100%" fill="white"/>${text}</svg>`;
  return sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).jpeg({ quality: 90 }).toBuffer();
}

/** CPU time (user + system, every thread, exited ones included) a process has used so far, in ms. */
function cpuMs(pid: number): number {
  const stat = require('node:fs').readFileSync(`/proc/${pid}/stat`, 'utf8') as string;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/**
 * Prints the peak RSS (VmHWM) of the service process and of each of its workers, and their total: the vision
 * service as local mode runs it, not this driver (which holds the photos it sends).
 */
function printPeakRss(service: ServiceProcess, when: string): void {
  const { service: serviceMb, children } = service.peakRss();
  const workers = children.filter((child) => child.name === 'worker').length;
  console.log(`\npeak RSS, MB (vision service process, its ${workers} workers and any other child, ${when}; target total <= 1536)`);
  let worker = 0;
  console.table([
    ...children.map((child) => ({ process: child.name === 'worker' ? `worker ${++worker}` : child.name, peakMb: child.mb.toFixed(0) })),
    { process: 'service (Rekognition endpoint)', peakMb: serviceMb.toFixed(0) },
    { process: 'total', peakMb: children.reduce((sum, child) => sum + child.mb, serviceMb).toFixed(0) },
  ]);
}

async function timeReady(dataDir: string, workers: number): Promise<{ ms: number; service: LocalVisionService }> {
  const started = performance.now();
  const service = new LocalVisionService({ dataDir, workers });
  await service.ready();
  return { ms: performance.now() - started, service };
}

async function timeCall(
  service: LocalVisionService | ServiceProcess,
  call: Call,
  image: Buffer,
): Promise<{ ms: number; cpu: number; body: Record<string, unknown> }> {
  const body = JSON.stringify({ Image: { Bytes: image.toString('base64') }, ...CALLS[call] });
  const [worker] = service.workerPids();
  const cpuBefore = cpuMs(worker);
  const started = performance.now();
  const response = await service.handle(`RekognitionService.${call}`, body);
  const ms = performance.now() - started;
  const cpu = cpuMs(worker) - cpuBefore;
  if (response.status !== 200) throw new Error(`${call} answered ${response.status}: ${response.body}`);
  return { ms, cpu, body: JSON.parse(response.body) as Record<string, unknown> };
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** Model load (cold, then cached) and warm time per call on one worker, in this process. */
async function printLoadAndCallTimes(dataDir: string, inputs: [string, Buffer][]): Promise<void> {
  console.log(
    `vision benchmark: ${RUNS} warm runs per call (median), load average ${loadavg()
      .map((value) => value.toFixed(1))
      .join(' ')}`,
  );
  const cold = await timeReady(dataDir, 1);
  const coldCpu = cpuMs(cold.service.workerPids()[0]);
  await cold.service.close();
  const cached = await timeReady(dataDir, 1);
  const cachedCpu = cpuMs(cached.service.workerPids()[0]);
  const service = cached.service;
  console.log("\nmodel load (one worker: fork, WASM init, all models, warm-up inference); cpu = the worker's CPU time");
  console.table([
    {
      start: 'first start (writes the nsfwjs weight and OCR graph caches)',
      wallSeconds: seconds(cold.ms),
      cpuSeconds: seconds(coldCpu),
      target: '',
    },
    { start: 'with both caches', wallSeconds: seconds(cached.ms), cpuSeconds: seconds(cachedCpu), target: '<= 3.000' },
  ]);

  const rows = [];
  for (const [name, image] of inputs) {
    const row: Record<string, string | number> = { image: name };
    let faces = 0;
    let facesAndLabels = 0;
    for (const call of Object.keys(CALLS) as Call[]) {
      await timeCall(service, call, image);
      const times: number[] = [];
      const cpus: number[] = [];
      let last: Record<string, unknown> = {};
      for (let run = 0; run < RUNS; run += 1) {
        const { ms, cpu, body } = await timeCall(service, call, image);
        times.push(ms);
        cpus.push(cpu);
        last = body;
      }
      const short = call.replace('Detect', '').replace('ModerationLabels', 'Moderation');
      row[`${short} wall`] = seconds(median(times));
      row[`${short} cpu`] = seconds(mean(cpus));
      if (call === 'DetectFaces') faces = (last.FaceDetails as unknown[]).length;
      if (call === 'DetectFaces' || call === 'DetectLabels') facesAndLabels += mean(cpus);
      if (call === 'DetectText')
        row.words = (last.TextDetections as { Type: string }[]).filter((detection) => detection.Type === 'WORD').length;
      if (call === 'DetectLabels') row.labels = (last.Labels as unknown[]).length;
    }
    row.faces = faces;
    row['f+l cpu'] = seconds(facesAndLabels);
    row['target f+l'] = (0.4 + 0.15 * Math.max(0, faces - 1)).toFixed(3);
    rows.push(row);
  }
  console.log('\nwarm seconds per call (one worker, through the JSON 1.1 handler): wall = median, cpu = mean worker CPU time;');
  console.log('targets: faces+labels <= target f+l, moderation <= 0.100, text <= 0.300 on the document');
  console.table(rows);
  await service.close();
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-vision-'));
  try {
    if (process.argv.includes('--calibration')) {
      await printCalibration();
      return;
    }
    const moderationFlag = process.argv.indexOf('--moderation-scores');
    if (moderationFlag >= 0) {
      await printModerationScores(dataDir, process.argv.slice(moderationFlag + 1));
      return;
    }
    if (process.argv.includes('--calibration-labels')) {
      const { service } = await timeReady(dataDir, 1);
      await runLabelCalibration(service);
      await service.close();
      return;
    }
    if (process.argv.includes('--quality')) {
      const { service } = await timeReady(dataDir, 1);
      await runQuality(service);
      await service.close();
      return;
    }
    const inputs: [string, Buffer][] = [
      ...(await Promise.all(PHOTOS.map(async (name) => [name, await readFile(join(FIXTURES, name))] as [string, Buffer]))),
      ['document (generated)', await documentImage()],
    ];
    // `-- --memory`: only the service process's throughput, peak RSS and quality (skips the one-worker timings).
    if (!process.argv.includes('--memory')) await printLoadAndCallTimes(dataDir, inputs);
    // Memory and throughput: the service in its own process with the default pool of 2, called over HTTP.
    const poolStarted = performance.now();
    const pool = await ServiceProcess.start(dataDir, 2);
    const poolReadyMs = performance.now() - poolStarted;
    const workers = pool.workerPids();
    const cpuBefore = workers.map(cpuMs);
    const passStarted = performance.now();
    // Each image twice at once through all four calls, so both workers see every image: the worst case for memory.
    for (const [, image] of inputs) {
      for (const call of Object.keys(CALLS) as Call[]) await Promise.all([timeCall(pool, call, image), timeCall(pool, call, image)]);
    }
    const passMinutes = (performance.now() - passStarted) / 60_000;
    const workerCpuS = workers.reduce((total, pid, index) => total + cpuMs(pid) - cpuBefore[index], 0) / 1000;
    const images = inputs.length * 2;
    console.log('\npool throughput (service process + 2 workers over HTTP; every fixture twice at once, all four calls each)');
    console.table([
      {
        images,
        imagesPerMinute: (images / passMinutes).toFixed(1),
        workerCpuSecondsPerImage: (workerCpuS / images).toFixed(3),
        loadAverage: loadavg()[0].toFixed(1),
      },
    ]);
    printPeakRss(pool, 'each worker having run every call on every fixture');
    console.log(`pool of 2 ready in ${seconds(poolReadyMs)} s with the weight cache (own process)`);
    await runQuality(pool);
    // The evaluation photos are larger than the fixtures (up to 2 Mpx), and WASM memory keeps its peak.
    printPeakRss(pool, 'after the evaluation photos too');
    await pool.close();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
