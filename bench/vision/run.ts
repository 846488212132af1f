/**
 * `npm run bench:vision`: model load time (cold, then with the weight cache), warm time per call on the
 * fixture images, peak RSS of the service and its workers (targets from issue 3), and the analysis quality on the
 * labelled evaluation photos (quality.ts, targets from issue 16). `npm run bench:vision -- --quality` runs only
 * the quality part; `-- --calibration` prints the scene cues on the held-out calibration photos (calibration.ts).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { LocalRekognitionService as LocalVisionService } from '../../local/services/rekognition/rekognition-service';
import { printCalibration } from './calibration';
import { runLabelCalibration, runQuality } from './quality';

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

function peakRssMb(pid: number): number {
  try {
    const status = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8') as string;
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** CPU time (user + system, every thread, exited ones included) a process has used so far, in ms. */
function cpuMs(pid: number): number {
  const stat = require('node:fs').readFileSync(`/proc/${pid}/stat`, 'utf8') as string;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** Prints the peak RSS (VmHWM) of every worker and of this process, and their total. */
function printPeakRss(service: LocalVisionService, when: string): void {
  const workers = service.workerPids().map(peakRssMb);
  const parent = process.resourceUsage().maxRSS / 1024;
  console.log(`\npeak RSS, MB (default pool of 2 workers, ${when}; target total <= 1536)`);
  console.table([
    ...workers.map((mb, index) => ({ process: `worker ${index + 1}`, peakMb: mb.toFixed(0) })),
    { process: 'service (this process)', peakMb: parent.toFixed(0) },
    { process: 'total', peakMb: (workers.reduce((sum, mb) => sum + mb, 0) + parent).toFixed(0) },
  ]);
}

async function timeReady(dataDir: string, workers: number): Promise<{ ms: number; service: LocalVisionService }> {
  const started = performance.now();
  const service = new LocalVisionService({ dataDir, workers });
  await service.ready();
  return { ms: performance.now() - started, service };
}

async function timeCall(
  service: LocalVisionService,
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

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-vision-'));
  try {
    if (process.argv.includes('--calibration')) {
      await printCalibration();
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
      { start: 'first start (writes nsfwjs weight cache)', wallSeconds: seconds(cold.ms), cpuSeconds: seconds(coldCpu), target: '' },
      { start: 'with weight cache', wallSeconds: seconds(cached.ms), cpuSeconds: seconds(cachedCpu), target: '<= 3.000' },
    ]);

    const inputs: [string, Buffer][] = [
      ...(await Promise.all(PHOTOS.map(async (name) => [name, await readFile(join(FIXTURES, name))] as [string, Buffer]))),
      ['document (generated)', await documentImage()],
    ];
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

    // Memory: a pool of 2 workers (the default on this machine) after one pass over every call and image.
    const pool = await timeReady(dataDir, 2);
    // Each call twice at once, so both workers see every image: the worst case for memory.
    for (const [, image] of inputs) {
      for (const call of Object.keys(CALLS) as Call[])
        await Promise.all([timeCall(pool.service, call, image), timeCall(pool.service, call, image)]);
    }
    printPeakRss(pool.service, 'each having run every call on every image');
    console.log(`pool of 2 ready in ${seconds(pool.ms)} s with the weight cache`);
    await runQuality(pool.service);
    // The evaluation photos are larger than the fixtures (up to 2 Mpx), and WASM memory keeps its peak.
    printPeakRss(pool.service, 'after the evaluation photos too');
    await pool.service.close();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
