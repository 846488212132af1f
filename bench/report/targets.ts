import type { AnalyticsBenchResult } from '../analytics/section';
import type { ColdStartResult } from '../cold-start/section';
import type { E2eResult } from '../e2e/section';
import type { ReprocessBench } from '../reprocess/section';
import type { ResizeBenchResult } from '../resize/section';
import type { SearchBenchResult } from '../search/section';
import type { VideoBenchResult } from '../video/section';
import type { VisionResult } from '../vision/section';

/** One target of issue 6 (or of issue 3 for the vision figures), as bench/results/latest.json lists it. */
export interface Target {
  name: string;
  value: number | null;
  target: number;
  unit: string;
  better: 'higher' | 'lower';
  met: boolean;
  /** Why there is no value, or what the value is measured on. */
  note?: string;
}

/** Everything one bench run measured (each part absent when skipped or failed). */
export interface BenchSections {
  resize?: ResizeBenchResult;
  vision?: VisionResult;
  e2e?: E2eResult;
  coldStart?: ColdStartResult[];
  search?: SearchBenchResult;
  cost?: {
    usdPerThousand: number;
    naiveUsdPerThousand: number;
    reprocessUsdPerMillion?: { everyStep: number; variantsReused: number; variantsAndAnalysisReused?: number };
  };
  reprocess?: ReprocessBench;
  analytics?: AnalyticsBenchResult;
  video?: VideoBenchResult;
  errors: Record<string, string>;
  skipped: Record<string, string>;
}

const rounded = (value: number, decimals = 3) => Math.round(value * 10 ** decimals) / 10 ** decimals;

/** Builds a target entry; a missing value is never met. */
export function target(
  name: string,
  value: number | null | undefined,
  goal: number,
  unit: string,
  better: 'higher' | 'lower',
  note?: string,
): Target {
  const v = value === null || value === undefined || !Number.isFinite(value) ? null : rounded(value);
  const met = v !== null && (better === 'higher' ? v >= goal : v <= goal);
  return { name, value: v, target: goal, unit, better, met, ...(note ? { note } : {}) };
}

/** Why a section has no value: skipped, failed, or a missing tool. */
const whyMissing = (s: BenchSections, section: string): string =>
  s.skipped[section] ?? (s.errors[section] ? `failed: ${s.errors[section].slice(0, 200)}` : 'not measured');

/** The targets of issue 6, computed from the sections (ratios from one run, side by side). */
export function computeTargets(s: BenchSections): Target[] {
  const targets: Target[] = [];
  const ips = (name: keyof ResizeBenchResult['contenders'], c = '1') => s.resize?.contenders[name]?.byConcurrency[c]?.imagesPerSecond;
  const ours = ips('ours');
  const sharpFloor = Math.max(ips('sharp-once') ?? 0, ips('sharp-clone') ?? 0) || undefined;
  const ratio = (other: number | undefined) => (ours !== undefined && other ? ours / other : null);
  const atTwo = (other: number | undefined) => {
    const value = ips('ours', '2') !== undefined && other ? ips('ours', '2')! / other : null;
    return value === null ? '' : `; at concurrency 2: ${value.toFixed(2)}x`;
  };
  const sharpFloorAtTwo = Math.max(ips('sharp-once', '2') ?? 0, ips('sharp-clone', '2') ?? 0) || undefined;
  const resizeNote = (name: keyof ResizeBenchResult['contenders']) =>
    !s.resize
      ? whyMissing(s, 'resize')
      : s.resize.contenders[name]?.available === false
        ? `missing: ${s.resize.contenders[name].missingReason}`
        : `images/s at concurrency 1 (Lambda: one image per instance)${atTwo(name === 'sharp-once' ? sharpFloorAtTwo : ips(name, '2'))}`;
  targets.push(
    target(
      'resize: ours / raw sharp throughput (faster of two sharp pipelines)',
      ratio(sharpFloor),
      0.85,
      'x',
      'higher',
      resizeNote('sharp-once'),
    ),
  );
  targets.push(target('resize: ours / ImageMagick throughput', ratio(ips('imagemagick')), 3, 'x', 'higher', resizeNote('imagemagick')));
  targets.push(target('resize: ours / jimp throughput', ratio(ips('jimp')), 10, 'x', 'higher', resizeNote('jimp')));
  targets.push(
    target(
      `resize: ours peak RSS on a ${s.resize?.rssImage.megapixels ?? 48} MP JPEG`,
      s.resize?.contenders.ours.peakRssMbOnRssImage,
      600,
      'MB',
      'lower',
      s.resize ? undefined : whyMissing(s, 'resize'),
    ),
  );

  const v = s.vision;
  const visionNote = (cpu: number | null | undefined, unit: string) =>
    v
      ? `wall time from npm run bench:vision (issue 3 targets)${cpu === null || cpu === undefined ? '' : `; worker CPU time ${cpu.toFixed(3)} ${unit}`}`
      : whyMissing(s, 'vision');
  targets.push(
    target(
      'vision: DetectFaces+DetectLabels, worst photo / its target (0.4 s + 0.15 s per extra face)',
      v?.facesPlusLabelsWorstRatio,
      1,
      'x',
      'lower',
      visionNote(v?.facesPlusLabelsWorstCpuRatio, 'x'),
    ),
  );
  targets.push(
    target(
      'vision: DetectModerationLabels warm, slowest image',
      v?.moderationMaxS,
      0.1,
      's',
      'lower',
      visionNote(v?.moderationMaxCpuS, 's'),
    ),
  );
  targets.push(
    target('vision: DetectText warm on a document', v?.textOnDocumentS, 0.3, 's', 'lower', visionNote(v?.textOnDocumentCpuS, 's')),
  );
  targets.push(
    target(
      'vision: cold start, all models, weight cache present',
      v?.modelLoadCachedS,
      3,
      's',
      'lower',
      visionNote(v?.modelLoadCachedCpuS, 's'),
    ),
  );
  const rssNote = v
    ? 'VmHWM of the vision service in its own process (the Rekognition endpoint local mode serves) plus every process under ' +
      `it (2 workers, esbuild), after the evaluation photos; pool throughput ${v.poolImagesPerMinute ?? '?'} images/min, ` +
      `worker CPU ${v.poolWorkerCpuSPerImage ?? '?'} s per image (all four Detect calls)`
    : whyMissing(s, 'vision');
  targets.push(target('vision: peak RSS, service + worker pool', v?.rssTotalMb, 1536, 'MB', 'lower', rssNote));
  const qualityNote = (what: string) =>
    v ? `${what}; labelled photos from Debian packages (bench/vision/eval/manifest.json), issue 16` : whyMissing(s, 'vision');
  targets.push(
    target(
      'vision: everyday photos with at least one correct label',
      v?.labelHitRate,
      0.9,
      'share',
      'higher',
      // A hit rate means little without precision: returning many labels would raise it.
      qualityNote(`DetectLabels at MinConfidence 55, label precision ${v?.quality['labels: precision'] ?? 'not measured'}`),
    ),
  );
  targets.push(
    target(
      'vision: scene-text word recall',
      v?.sceneTextWordRecall,
      0.8,
      'share',
      'higher',
      qualityNote('DetectText WORDs, default filters'),
    ),
  );
  targets.push(
    target(
      'vision: moderation false-positive rate on ordinary photos',
      v?.moderationFalsePositiveRate,
      0.05,
      'share',
      'lower',
      qualityNote('DetectModerationLabels at MinConfidence 50'),
    ),
  );

  const e = s.e2e;
  targets.push(
    target(
      'local mode: overhead over handler busy time',
      e ? e.overhead * 100 : null,
      10,
      '%',
      'lower',
      e ? `${e.photos} photos at once; (run wall - handler busy) / handler busy` : whyMissing(s, 'e2e'),
    ),
  );

  for (const logicalId of ['ResizeImageFunction', 'ApiFunction']) {
    const cold = s.coldStart?.find((c) => c.logicalId === logicalId);
    targets.push(
      target(
        `cold start: ${logicalId} bundle import-to-ready (median)`,
        cold?.importMsMedian,
        300,
        'ms',
        'lower',
        cold
          ? `fresh Node ${process.version} processes, ${cold.external.length > 0 ? `${cold.external.join(', ')} external` : 'nothing external'}`
          : whyMissing(s, 'coldStart'),
      ),
    );
  }

  for (const name of ['label', 'combined'] as const) {
    const searched = s.search?.queries.find((q) => q.name === name);
    const worst = searched ? Math.max(...searched.pages.map((page) => page.p95Ms)) : undefined;
    targets.push(
      target(
        `search: ${name === 'label' ? 'one label' : 'combined filter'} p95, first and cursor page`,
        worst,
        50,
        'ms',
        'lower',
        searched && s.search
          ? `${s.search.images.toLocaleString('en')} seeded images, HTTP through the local API and ApiFunction; the worse page of: ${searched.query}`
          : whyMissing(s, 'search'),
      ),
    );
  }

  targets.push(
    target(
      'cloud cost per 1,000 images, default switches',
      s.cost?.usdPerThousand,
      1.5,
      'USD',
      'lower',
      s.cost ? `naive design: $${s.cost.naiveUsdPerThousand.toFixed(3)}` : whyMissing(s, 'cost'),
    ),
  );
  const a = s.analytics;
  targets.push(
    target(
      `analytics: slowest chart query p95, ${a ? a.facts.toLocaleString('en-US') : '1,000,000'} facts, 7-day window`,
      a?.worstP95Ms,
      300,
      'ms',
      'lower',
      a
        ? `${a.worstChart}; the shared query layer on DuckDB (past days Parquet, today's lines in memory), ${a.runs} runs per chart, admin and one-user scopes`
        : whyMissing(s, 'analytics'),
    ),
  );
  targets.push(videoTarget(s));
  return targets;
}

/** Issue 14: local transcode + analysis of 720p video within real time on this machine, with its peak RSS beside it. */
function videoTarget(s: BenchSections): Target {
  const v = s.video;
  return target(
    'video: local transcode + analysis time / video duration, 720p30',
    v?.realTimeFactor,
    1,
    'x',
    'lower',
    v
      ? `${v.clip.seconds} s clip: transcode ${v.transcode.wallSeconds} s + analysis ${v.analysis.wallSeconds} s (${v.sampling.frames} frames, labels and moderation, ${v.visionWorkers} vision workers), ${v.wallSecondsPerVideoMinute} s per minute of video; CPU ${v.cpuSecondsPerVideoMinute} s per minute (${v.cpuRealTimeFactorOnAllCores}x with every core to itself); peak RSS ${v.peakTreeRssMb} MB; load ${v.loadAverage.before[0]} before, ${v.loadAverage.after[0]} after${v.autogroupNice ? `; autogroup nice ${v.autogroupNice}` : ''}`
      : whyMissing(s, 'video'),
  );
}
