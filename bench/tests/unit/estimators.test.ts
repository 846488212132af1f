import { summariseRuns } from '../../resize/section';
import type { WorkerResult } from '../../resize/worker';
import { parseConsoleTables, visionFigures } from '../../vision/section';

const run = (concurrency: number, wallMs: number, timings: Array<[string, number]>): WorkerResult => ({
  contender: 'ours',
  concurrency,
  loadMs: 0,
  wallMs,
  images: timings.length,
  timings: timings.map(([name, ms]) => ({ name, ms, outputs: 6, outputBytes: 1 })),
  peakRssMb: 100,
  expectedOutputs: 6 * timings.length,
  producedOutputs: 6 * timings.length,
});

describe('summariseRuns', () => {
  it('takes the fastest time seen for each image at concurrency 1', () => {
    // Prepare
    const runs = [
      run(1, 0, [
        ['a', 100],
        ['b', 400],
      ]),
      run(1, 0, [
        ['a', 300],
        ['b', 200],
      ]),
    ];

    // Act
    const summary = summariseRuns(runs);

    // Assess: best a = 100, best b = 200, so 2 images in 300 ms.
    expect(summary.msPerImage).toBe(150);
    expect(summary.imagesPerSecond).toBeCloseTo(6.667, 2);
  });

  it('takes the fastest whole pass at concurrency 2', () => {
    // Act
    const summary = summariseRuns([
      run(2, 1000, [
        ['a', 900],
        ['b', 900],
      ]),
      run(2, 500, [
        ['a', 450],
        ['b', 450],
      ]),
    ]);

    // Assess
    expect(summary.imagesPerSecond).toBe(4);
  });
});

describe('parseConsoleTables and visionFigures', () => {
  const printed = [
    'model load',
    '┌─────────┬──────────────────────┬─────────┐',
    '│ (index) │ start                │ seconds │',
    '├─────────┼──────────────────────┼─────────┤',
    "│ 0       │ 'first start'        │ '7.305' │",
    "│ 1       │ 'with weight cache'  │ '2.500' │",
    '└─────────┴──────────────────────┴─────────┘',
    '',
    'warm seconds per call',
    '┌─────────┬────────────┬────────────────────────┬────────────┬──────────────┬────────────┐',
    '│ (index) │ image      │ DetectModerationLabels │ DetectText │ faces+labels │ target f+l │',
    '├─────────┼────────────┼────────────────────────┼────────────┼──────────────┼────────────┤',
    "│ 0       │ 'a.jpg'    │ '0.050'                │ '0.080'    │ '0.300'      │ '0.400'    │",
    "│ 1       │ 'group.jpg'│ '0.090'                │ '0.100'    │ '2.640'      │ '2.200'    │",
    "│ 2       │ 'document (generated)' │ '0.070'    │ '0.250'    │ '0.500'      │ '0.400'    │",
    '└─────────┴────────────┴────────────────────────┴────────────┴──────────────┴────────────┘',
    'peak RSS',
    '┌─────────┬─────────┬────────┐',
    '│ (index) │ process │ peakMb │',
    '├─────────┼─────────┼────────┤',
    "│ 0       │ 'total' │ '1186' │",
    '└─────────┴─────────┴────────┘',
  ].join('\n');

  it('reads each printed table back into rows keyed by column', () => {
    // Act
    const tables = parseConsoleTables(printed);

    // Assess
    expect(tables).toHaveLength(3);
    expect(tables[0].title).toBe('model load');
    expect(tables[0].rows[1]).toEqual({ '(index)': '1', start: 'with weight cache', seconds: '2.500' });
  });

  it('derives the issue-3 figures, leaving the document out of the faces+labels ratio', () => {
    // Act
    const figures = visionFigures(parseConsoleTables(printed));

    // Assess
    expect(figures.modelLoadCachedS).toBe(2.5);
    expect(figures.facesPlusLabelsWorstRatio).toBeCloseTo(1.2);
    expect(figures.moderationMaxS).toBe(0.09);
    expect(figures.textOnDocumentS).toBe(0.25);
    expect(figures.rssTotalMb).toBe(1186);
  });

  it('takes the larger total when peak RSS is printed again after the evaluation photos', () => {
    // Prepare
    const later = [
      'peak RSS after the evaluation photos',
      '┌───┐',
      '│ (index) │ process │ peakMb │',
      '├───┤',
      "│ 0 │ 'total' │ '1290' │",
      '└───┘',
    ];

    // Act
    const figures = visionFigures(parseConsoleTables([printed, ...later].join('\n')));

    // Assess
    expect(figures.rssTotalMb).toBe(1290);
  });

  it("reads the service process's pool throughput", () => {
    // Prepare
    const throughput = [
      'pool throughput (service process + 2 workers over HTTP)',
      '┌───┐',
      '│ (index) │ images │ imagesPerMinute │ workerCpuSecondsPerImage │ loadAverage │',
      '├───┤',
      "│ 0 │ 14 │ '71.5' │ '0.877' │ '2.1' │",
      '└───┘',
    ];

    // Act
    const figures = visionFigures(parseConsoleTables([printed, ...throughput].join('\n')));

    // Assess
    expect(figures.poolImagesPerMinute).toBe(71.5);
    expect(figures.poolWorkerCpuSPerImage).toBe(0.877);
  });
});

describe('visionFigures on the wall/cpu layout', () => {
  it('reads wall and CPU columns', () => {
    // Prepare
    const printed = [
      'model load',
      '┌─────────┬─────────────────────┬─────────────┬────────────┐',
      '│ (index) │ start               │ wallSeconds │ cpuSeconds │',
      '├─────────┼─────────────────────┼─────────────┼────────────┤',
      "│ 0       │ 'first start'       │ '3.756'     │ '1.450'    │",
      "│ 1       │ 'with weight cache' │ '4.041'     │ '1.460'    │",
      '└─────────┴─────────────────────┴─────────────┴────────────┘',
      'warm',
      '┌─────────┬──────────┬────────────┬───────────┬─────────────┬────────────┬─────────────────┬────────────────┬───────────┬──────────┬─────────┬────────────┐',
      '│ (index) │ image    │ Faces wall │ Faces cpu │ Labels wall │ Labels cpu │ Moderation wall │ Moderation cpu │ Text wall │ Text cpu │ f+l cpu │ target f+l │',
      '├─────────┼──────────┼────────────┼───────────┼─────────────┼────────────┼─────────────────┼────────────────┼───────────┼──────────┼─────────┼────────────┤',
      "│ 0       │ 'a.jpg'  │ '0.500'    │ '0.140'   │ '0.300'     │ '0.260'    │ '0.300'         │ '0.075'        │ '0.100'   │ '0.025'  │ '0.400' │ '0.400'    │",
      "│ 1       │ 'document (generated)' │ '0.1' │ '0.05' │ '1.2' │ '0.25' │ '0.4' │ '0.07' │ '1.000' │ '0.305' │ '0.3' │ '0.400' │",
      '└─────────┴──────────┴────────────┴───────────┴─────────────┴────────────┴─────────────────┴────────────────┴───────────┴──────────┴─────────┴────────────┘',
    ].join('\n');

    // Act
    const figures = visionFigures(parseConsoleTables(printed));

    // Assess
    expect(figures.modelLoadCachedS).toBe(4.041);
    expect(figures.modelLoadCachedCpuS).toBe(1.46);
    expect(figures.facesPlusLabelsWorstRatio).toBeCloseTo(2);
    expect(figures.facesPlusLabelsWorstCpuRatio).toBeCloseTo(1);
    expect(figures.moderationMaxS).toBe(0.4);
    expect(figures.textOnDocumentS).toBe(1);
    expect(figures.textOnDocumentCpuS).toBe(0.305);
  });
});

describe('visionFigures on the quality table', () => {
  it('reads every quality measure and the three issue-16 figures, "not measured" as null', () => {
    // Prepare
    const printed = [
      'analysis quality per capability',
      '┌─────────┬───────────────────────────────────────────────────────────┬────────────────┬──────────┬────────┐',
      '│ (index) │ measure                                                   │ value          │ target   │ photos │',
      '├─────────┼───────────────────────────────────────────────────────────┼────────────────┼──────────┼────────┤',
      "│ 0       │ 'labels: everyday photos with at least one correct label' │ '0.651'        │ '>= 0.9' │ 43     │",
      "│ 1       │ 'text: scene text word recall'                            │ '0.921'        │ '>= 0.8' │ 13     │",
      "│ 2       │ 'moderation: false-positive rate on ordinary photos'      │ '0.023'        │ '<= 0.05'│ 43     │",
      "│ 3       │ 'moderation: explicit-content recall'                     │ 'not measured' │ ''       │ 0      │",
      '└─────────┴───────────────────────────────────────────────────────────┴────────────────┴──────────┴────────┘',
    ].join('\n');

    // Act
    const figures = visionFigures(parseConsoleTables(printed));

    // Assess
    expect(figures).toMatchObject({ labelHitRate: 0.651, sceneTextWordRecall: 0.921, moderationFalsePositiveRate: 0.023 });
    expect(figures.quality['moderation: explicit-content recall']).toBeNull();
  });
});
