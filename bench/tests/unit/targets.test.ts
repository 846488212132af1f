import { computeTargets, target, type BenchSections } from '../../report/targets';
import type { ContenderSummary, ResizeBenchResult } from '../../resize/section';

const contender = (ips1: number, available = true): ContenderSummary => ({
  available,
  ...(available ? {} : { missingReason: '/usr/bin/convert not found (apt-get install -y imagemagick)' }),
  byConcurrency: available ? { '1': { imagesPerSecond: ips1, msPerImage: 1000 / ips1, images: 4, runs: 1 } } : {},
  peakRssMb: available ? 300 : null,
  peakRssMbOnRssImage: available ? 250 : null,
  outputsMatched: true,
});

function sections(imageMagickInstalled: boolean): BenchSections {
  const image = { name: 'x', path: '/x', source: 'x.jpg', width: 8000, height: 6000, megapixels: 48, orientation: 1, bytes: 1 };
  const resize: ResizeBenchResult = {
    inputs: [image],
    rssImage: image,
    variantWidths: [256, 1024, 2048],
    estimator: '',
    contenders: {
      ours: contender(1),
      'sharp-once': contender(1.25),
      'sharp-clone': contender(0.5),
      imagemagick: contender(0.2, imageMagickInstalled),
      jimp: contender(0.05),
    },
    runs: [],
  };
  return { resize, errors: {}, skipped: { vision: 'skipped in --quick' } };
}

describe('computeTargets', () => {
  it('compares ours with the faster raw sharp pipeline', () => {
    // Act
    const targets = computeTargets(sections(true));

    // Assess
    const vsSharp = targets.find((t) => t.name.includes('raw sharp'))!;
    expect(vsSharp.value).toBeCloseTo(0.8);
    expect(vsSharp.met).toBe(false);
    expect(targets.find((t) => t.name.includes('jimp'))!).toMatchObject({ value: 20, met: true });
  });

  it('reports a missing ImageMagick as missing instead of a number', () => {
    // Act
    const targets = computeTargets(sections(false));

    // Assess
    const vsImageMagick = targets.find((t) => t.name.includes('ImageMagick'))!;
    expect(vsImageMagick.value).toBeNull();
    expect(vsImageMagick.met).toBe(false);
    expect(vsImageMagick.note).toContain('missing: /usr/bin/convert');
  });

  it('says why a skipped section has no value', () => {
    // Act
    const vision = computeTargets(sections(true)).filter((t) => t.name.startsWith('vision'));

    // Assess
    expect(vision.length).toBeGreaterThan(0);
    expect(vision.every((t) => t.value === null && t.note === 'skipped in --quick')).toBe(true);
  });
});

describe('search and API cold-start targets', () => {
  const page = (name: 'first' | 'cursor', p95Ms: number) => ({
    page: name,
    samples: 40,
    p50Ms: p95Ms / 2,
    p95Ms,
    maxMs: p95Ms,
    cpuMsPerRequest: 10,
    returned: 24,
    scanned: 24,
    consumedReadUnits: 13.5,
  });

  it('judges each search by its worse page, and the API bundle by its median import time', () => {
    // Arrange
    const s: BenchSections = {
      errors: {},
      skipped: {},
      search: {
        images: 10000,
        imagesOfSearcher: 9000,
        itemsWritten: 97000,
        seedSeconds: 40,
        loadAverageAtStart: 1,
        queries: [
          { name: 'label', query: 'label=dog', pages: [page('first', 30), page('cursor', 45)] },
          { name: 'combined', query: 'label=person&hasFaces=true', pages: [page('first', 49), page('cursor', 51)] },
        ],
      },
      coldStart: [
        {
          logicalId: 'ApiFunction',
          bundleBytes: 1,
          external: [],
          samples: 7,
          importMsMedian: 180,
          importMsMin: 170,
          processStartToReadyMsMedian: 200,
          sourceMapsCostMsMedian: 40,
          ready: true,
        },
      ],
    };

    // Act
    const targets = computeTargets(s);

    // Assess
    expect(targets.find((t) => t.name.startsWith('search: one label'))).toMatchObject({ value: 45, target: 50, met: true });
    expect(targets.find((t) => t.name.startsWith('search: combined'))).toMatchObject({ value: 51, met: false });
    expect(targets.find((t) => t.name.startsWith('cold start: ApiFunction'))).toMatchObject({ value: 180, target: 300, met: true });
  });
});

describe('target', () => {
  it('meets a lower-is-better goal only at or under it', () => {
    expect(target('a', 600, 600, 'MB', 'lower').met).toBe(true);
    expect(target('a', 601, 600, 'MB', 'lower').met).toBe(false);
    expect(target('a', Number.NaN, 600, 'MB', 'lower')).toMatchObject({ value: null, met: false });
  });
});

describe('video target', () => {
  const video = (transcode: number, analysis: number): NonNullable<BenchSections['video']> => ({
    clip: { seconds: 60, width: 1280, height: 720, fps: 30, bytes: 50e6, content: 'pattern and photos' },
    autogroupNice: 0,
    loadAverage: { before: [1.5, 1, 1], after: [2, 1, 1] },
    visionWorkers: 2,
    sampling: { everySeconds: 1, frames: 60, maxSide: 960 },
    transcode: { wallSeconds: transcode, cpuSeconds: transcode * 1.8, outputs: 63 },
    modelLoad: { wallSeconds: 2, cpuSeconds: 3 },
    analysis: { wallSeconds: analysis, cpuSeconds: analysis * 1.9, labelsDoneSeconds: analysis - 2, moderationDoneSeconds: analysis },
    wallSecondsPerVideoMinute: transcode + analysis,
    realTimeFactor: (transcode + analysis) / 60,
    cpuSecondsPerVideoMinute: transcode * 1.8 + analysis * 1.9,
    cpuRealTimeFactorOnAllCores: (transcode * 1.8 + analysis * 1.9) / 120,
    peakTreeRssMb: 1010,
    jobStatus: { labels: 'SUCCEEDED', moderation: 'SUCCEEDED' },
    labelSegments: 12,
    moderationSegments: 0,
  });
  const videoTarget = (s: BenchSections) => computeTargets(s).find((t) => t.name.startsWith('video:'))!;

  it('is met when transcode + analysis wall time fits in the video duration, and names the peak RSS and the load', () => {
    // Act
    const met = videoTarget({ video: video(20, 25), errors: {}, skipped: {} });
    const missed = videoTarget({ video: video(30, 40), errors: {}, skipped: {} });

    // Assess
    expect(met).toMatchObject({ value: 0.75, target: 1, better: 'lower', met: true });
    expect(met.note).toContain('peak RSS 1010 MB');
    expect(met.note).toContain('load 1.5 before, 2 after');
    expect(missed).toMatchObject({ value: 1.167, met: false });
  });

  it('has no value when the section failed, and says why', () => {
    // Act
    const failed = videoTarget({ errors: { video: 'ffmpeg exited with 1' }, skipped: {} });

    // Assess
    expect(failed).toMatchObject({ value: null, met: false, note: 'failed: ffmpeg exited with 1' });
  });
});
