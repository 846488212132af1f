import { spawn } from 'node:child_process';
import { REPO_ROOT } from '../lib/paths';

/** One table printed by console.table: its title (the line above it) and its rows keyed by column. */
export interface PrintedTable {
  title: string;
  rows: Array<Record<string, string>>;
}

export interface VisionResult {
  modelLoadColdS: number | null;
  modelLoadCachedS: number | null;
  warmSecondsByImage: Array<Record<string, string>>;
  /** Worst DetectFaces + DetectLabels time over its own target (0.4 s + 0.15 s per extra face). */
  facesPlusLabelsWorstRatio: number | null;
  /** The same from the worker's CPU time, when bench:vision prints it. */
  facesPlusLabelsWorstCpuRatio: number | null;
  moderationMaxS: number | null;
  moderationMaxCpuS: number | null;
  textOnDocumentS: number | null;
  textOnDocumentCpuS: number | null;
  modelLoadCachedCpuS: number | null;
  /** Peak RSS (VmHWM) of the vision service process plus every process under it (its workers, esbuild), in MB. */
  rssTotalMb: number | null;
  /** Images per minute through the service process's pool of 2 (all four Detect calls each), and worker CPU per image. */
  poolImagesPerMinute: number | null;
  poolWorkerCpuSPerImage: number | null;
  /** Analysis quality on the labelled evaluation photos (issue 16): every measure of bench:vision's quality table. */
  quality: Record<string, number | null>;
  labelHitRate: number | null;
  sceneTextWordRecall: number | null;
  moderationFalsePositiveRate: number | null;
  runs: number;
  wallS: number;
  stdout: string;
}

/** Reads the box-drawn tables that console.table prints back into rows (quotes removed). */
export function parseConsoleTables(text: string): PrintedTable[] {
  const tables: PrintedTable[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('┌')) continue;
    const title =
      lines
        .slice(0, i)
        .reverse()
        .find((line) => line.trim() !== '') ?? '';
    const cells = (line: string) =>
      line
        .split('│')
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/^'(.*)'$/, '$1'));
    const header = cells(lines[i + 1]);
    const rows: Array<Record<string, string>> = [];
    for (let j = i + 3; j < lines.length && lines[j].startsWith('│'); j++) {
      const values = cells(lines[j]);
      rows.push(Object.fromEntries(header.map((name, c) => [name, values[c] ?? ''])));
    }
    tables.push({ title: title.trim(), rows });
  }
  return tables;
}

const num = (value: string | undefined): number | null =>
  value === undefined || value === '' || Number.isNaN(Number(value)) ? null : Number(value);

/** The first column present, by any of the names bench:vision has used for it. */
const pick = (row: Record<string, string> | undefined, ...names: string[]): number | null => {
  for (const name of names) if (row && name in row) return num(row[name]);
  return null;
};

/** Sum of two columns, or null when either is missing. */
const sum = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a + b);

const maxOf = (values: Array<number | null>): number | null => {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return known.length ? Math.max(...known) : null;
};

/**
 * Pulls the issue-3 target figures out of bench:vision's printed tables: wall seconds, and, where it prints
 * them, the worker's CPU seconds (a loaded shared machine inflates wall time, not CPU time).
 */
export function visionFigures(tables: PrintedTable[]): Omit<VisionResult, 'runs' | 'wallS' | 'stdout'> {
  const load = tables.find((t) => t.rows.some((r) => 'start' in r));
  const warm = tables.find((t) => t.rows.some((r) => 'image' in r && ('DetectModerationLabels' in r || 'Moderation wall' in r)));
  // bench:vision prints peak RSS after the fixtures and again after the evaluation photos; VmHWM only grows.
  const rssTables = tables.filter((t) => t.rows.some((r) => 'peakMb' in r));
  const throughput = tables.find((t) => t.rows.some((r) => 'imagesPerMinute' in r))?.rows[0];
  const qualityRows = tables.find((t) => t.rows.some((r) => 'measure' in r))?.rows ?? [];
  const quality = Object.fromEntries(qualityRows.map((r) => [r.measure, num(r.value)]));
  const measure = (prefix: string) => quality[Object.keys(quality).find((name) => name.startsWith(prefix)) ?? ''] ?? null;
  const rows = warm?.rows ?? [];
  const photos = rows.filter((r) => !/document/.test(r.image));
  const document = rows.find((r) => /document/.test(r.image));
  const target = (r: Record<string, string>) => pick(r, 'target f+l');
  const fplWall = (r: Record<string, string>) =>
    pick(r, 'faces+labels') ?? sum(pick(r, 'DetectFaces', 'Faces wall'), pick(r, 'DetectLabels', 'Labels wall'));
  const fplCpu = (r: Record<string, string>) => pick(r, 'f+l cpu') ?? sum(pick(r, 'Faces cpu'), pick(r, 'Labels cpu'));
  const ratio = (v: number | null, t: number | null) => (v === null || !t ? null : v / t);
  const cached = load?.rows.find((r) => /cache/.test(r.start) && !/first/.test(r.start));
  return {
    modelLoadColdS: pick(
      load?.rows.find((r) => /first/.test(r.start)),
      'seconds',
      'wallSeconds',
    ),
    modelLoadCachedS: pick(cached, 'seconds', 'wallSeconds'),
    modelLoadCachedCpuS: pick(cached, 'cpuSeconds'),
    warmSecondsByImage: rows,
    facesPlusLabelsWorstRatio: maxOf(photos.map((r) => ratio(fplWall(r), target(r)))),
    facesPlusLabelsWorstCpuRatio: maxOf(photos.map((r) => ratio(fplCpu(r), target(r)))),
    moderationMaxS: maxOf(rows.map((r) => pick(r, 'DetectModerationLabels', 'Moderation wall'))),
    moderationMaxCpuS: maxOf(rows.map((r) => pick(r, 'Moderation cpu'))),
    textOnDocumentS: pick(document, 'DetectText', 'Text wall'),
    textOnDocumentCpuS: pick(document, 'Text cpu'),
    rssTotalMb: maxOf(
      rssTables.map((t) =>
        pick(
          t.rows.find((r) => r.process === 'total'),
          'peakMb',
        ),
      ),
    ),
    poolImagesPerMinute: pick(throughput, 'imagesPerMinute'),
    poolWorkerCpuSPerImage: pick(throughput, 'workerCpuSecondsPerImage'),
    quality,
    labelHitRate: measure('labels: everyday photos with at least one correct label'),
    sceneTextWordRecall: measure('text: scene text word recall'),
    moderationFalsePositiveRate: measure('moderation: false-positive rate on ordinary photos'),
  };
}

/**
 * Runs `npm run bench:vision` (local/vision's own benchmark, not a copy of it) with `runs` warm runs per call and
 * reads its tables.
 * @throws Error when it exits non-zero.
 */
export async function runVisionBench(runs: number, log: (line: string) => void): Promise<VisionResult> {
  const started = Date.now();
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/vision/run.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, BENCH_VISION_RUNS: String(runs) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`bench:vision exited ${code}: ${err.slice(-800)}`))));
  });
  const figures = visionFigures(parseConsoleTables(stdout));
  log(
    `  vision: load ${figures.modelLoadCachedS} s cached, worst faces+labels ${figures.facesPlusLabelsWorstRatio?.toFixed(2)}x target, RSS ${figures.rssTotalMb} MB`,
  );
  return { ...figures, runs, wallS: Math.round((Date.now() - started) / 1000), stdout };
}
