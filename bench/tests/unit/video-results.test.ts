import { readFileSync } from 'node:fs';
import { renderChart } from '../../report/chart';
import { resultsBlock } from '../../report/markdown';
import { computeTargets, type BenchSections } from '../../report/targets';
import { repoPath } from '../../lib/paths';
import type { VideoStepTiming } from '../../video/steps';

type Latest = BenchSections & { date: string; quick: boolean; machine: Parameters<typeof resultsBlock>[1] };

const readLatest = (): Latest => JSON.parse(readFileSync(repoPath('bench', 'results', 'latest.json'), 'utf8')) as Latest;

const timing = (wallMs: number, cpuMs: number, memoryMb: number): VideoStepTiming => ({
  memoryMb,
  importMs: 300,
  invocations: 6,
  first: { wallMs: wallMs * 3, cpuMs: cpuMs * 3 },
  warm: { wallMsMedian: wallMs, wallMsMin: wallMs - 1, cpuMsMedian: cpuMs, cpuMsMin: cpuMs - 1 },
});

/** Renders what `npm run bench` writes from these sections: the README block and the chart. */
function render(latest: Latest): { block: string; chart: string } {
  const targets = computeTargets(latest);
  return {
    block: resultsBlock(latest.date, latest.machine, latest.quick, latest, targets),
    chart: renderChart(latest, targets, 'video results test'),
  };
}

describe('the video section of the results', () => {
  it('renders the committed latest.json as it is (sections written before the step handlers were timed)', () => {
    // Prepare
    const latest = readLatest();
    delete latest.video?.steps;

    // Act
    const { block, chart } = render(latest);

    // Assess
    expect(block).toContain('Local video (');
    expect(block).not.toContain('Step handlers');
    expect(chart).toContain('<svg');
  });

  it('names both step handlers with wall and CPU time when the section has them, and adds no target', () => {
    // Prepare
    const latest = readLatest();
    const targetsBefore = computeTargets(latest).map((t) => t.name);
    latest.video = {
      ...latest.video!,
      steps: {
        date: '2026-12-06T04:30:00.000Z',
        loadAverage: [2.5, 2.25, 2],
        probeVideo: { ...timing(12.3, 13.9, 256), headerBytesRead: 9924 },
        composeVideoThumbnails: { ...timing(63.5, 48.9, 1024), frames: 60, spriteBytes: 120_000 },
      },
    };

    // Act
    const { block } = render(latest);

    // Assess
    expect(block).toContain('Step handlers on this clip (2026-12-06T04:30Z, load 2.5 2.25 2)');
    expect(block).toContain('ProbeVideo first call 37 ms wall / 42 ms CPU, warm median 12.3 ms / 13.9 ms CPU over 5 calls');
    expect(block).toContain('9924 header bytes read');
    expect(block).toContain('ComposeVideoThumbnails first call 191 ms wall / 147 ms CPU, warm median 63.5 ms / 48.9 ms CPU');
    expect(block).toContain('a 60-frame sprite of 120 KB');
    expect(computeTargets(latest).map((t) => t.name)).toEqual(targetsBefore);
  });
});
