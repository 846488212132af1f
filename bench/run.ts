import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runAnalyticsBench } from './analytics/section';
import { runColdStartBench } from './cold-start/section';
import { computeCost } from './cost/model';
import { reprocessCost } from './cost/reprocess';
import { measureStoredAnalysisUsage } from './cost/reprocess-analysis-skip';
import { gatherCostInputs } from './cost/gather';
import { DOCUMENTED_MIX } from './cost/mix';
import { deployedAnalysisConfig } from './cost/usage';
import { runE2eBench } from './e2e/section';
import { describeMachine } from './lib/machine';
import { SOURCE_PHOTOS } from './lib/inputs';
import { repoPath } from './lib/paths';
import { renderChart } from './report/chart';
import { resultsBlock } from './report/markdown';
import { computeTargets, type BenchSections } from './report/targets';
import { runReprocessBench } from './reprocess/section';
import { runResizeBench } from './resize/section';
import { runSearchBench } from './search/section';
import { runVideoBench } from './video/section';
import { runVisionBench } from './vision/section';

type Section = 'resize' | 'vision' | 'e2e' | 'coldStart' | 'search' | 'cost' | 'analytics' | 'reprocess' | 'video';

/** How much each section measures in a full run and in --quick (a smoke check under 3 minutes). */
const PLANS = {
  full: {
    photos: [SOURCE_PHOTOS[0], SOURCE_PHOTOS[1], SOURCE_PHOTOS[3]],
    megapixels: [8, 24],
    fastRounds: 3,
    slowRounds: 2,
    slowRoundsAtTwo: 1,
    rssContenders: ['ours', 'sharp-once', 'sharp-clone'] as const,
    coldSamples: 7,
    visionRuns: 2,
    e2ePhotos: 50,
    analyticsFacts: 1_000_000,
    analyticsRuns: 20,
    searchImages: 10_000,
    searchSamples: 40,
    reprocessImages: 300,
    reprocessAnalysedImages: 60,
    videoSeconds: 60,
  },
  quick: {
    photos: [SOURCE_PHOTOS[0], SOURCE_PHOTOS[3]],
    megapixels: [8],
    fastRounds: 1,
    slowRounds: 1,
    slowRoundsAtTwo: 1,
    rssContenders: ['ours'] as const,
    coldSamples: 2,
    visionRuns: 0,
    e2ePhotos: 6,
    analyticsFacts: 100_000,
    analyticsRuns: 5,
    searchImages: 3_000,
    searchSamples: 10,
    reprocessImages: 40,
    reprocessAnalysedImages: 12,
    videoSeconds: 10,
  },
};

const README_START = '<!-- bench:results:start -->';
const README_END = '<!-- bench:results:end -->';

const log = (line: string) => process.stdout.write(`${line}\n`);

/** Runs one section, keeping its error instead of stopping the whole bench. */
async function attempt<T>(sections: BenchSections, name: Section, run: () => Promise<T>): Promise<T | undefined> {
  const started = Date.now();
  log(`[${name}]`);
  try {
    const result = await run();
    log(`[${name}] done in ${Math.round((Date.now() - started) / 1000)} s`);
    return result;
  } catch (error) {
    sections.errors[name] = error instanceof Error ? error.message : String(error);
    log(`[${name}] FAILED: ${sections.errors[name].slice(0, 500)}`);
    return undefined;
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? new Set(argv[onlyAt + 1].split(',')) : undefined;
  const wanted = (name: Section) => !only || only.has(name);
  const plan = quick ? PLANS.quick : PLANS.full;
  const date = new Date().toISOString();
  const machine = describeMachine();
  const started = Date.now();
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'sip-bench-'));
  const sections: BenchSections = { errors: {}, skipped: {} };
  log(
    `Smart Image Pipeline bench ${quick ? '(--quick) ' : ''}${date}: ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}`,
  );
  try {
    if (wanted('resize')) {
      sections.resize = await attempt(sections, 'resize', () =>
        runResizeBench({
          tmpDir,
          photos: plan.photos,
          megapixels: plan.megapixels,
          fastRounds: plan.fastRounds,
          slowRounds: plan.slowRounds,
          slowRoundsAtTwo: plan.slowRoundsAtTwo,
          rssMegapixels: 48,
          rssContenders: [...plan.rssContenders],
          log,
        }),
      );
    } else sections.skipped.resize = '--only';
    if (wanted('coldStart'))
      sections.coldStart = await attempt(sections, 'coldStart', () => runColdStartBench(tmpDir, plan.coldSamples, log));
    else sections.skipped.coldStart = '--only';
    if (wanted('e2e')) sections.e2e = await attempt(sections, 'e2e', () => runE2eBench(plan.e2ePhotos, log));
    else sections.skipped.e2e = '--only';
    if (wanted('search'))
      sections.search = await attempt(sections, 'search', () => runSearchBench(plan.searchImages, plan.searchSamples, log));
    else sections.skipped.search = '--only';
    if (!wanted('vision')) sections.skipped.vision = '--only';
    else if (plan.visionRuns === 0) sections.skipped.vision = 'skipped in --quick: npm run bench:vision takes minutes';
    else sections.vision = await attempt(sections, 'vision', () => runVisionBench(plan.visionRuns, log));

    if (wanted('reprocess'))
      sections.reprocess = await attempt(sections, 'reprocess', () =>
        runReprocessBench(plan.reprocessImages, plan.reprocessAnalysedImages, 4, log),
      );
    else sections.skipped.reprocess = '--only';

    if (wanted('cost')) {
      sections.cost = await attempt(sections, 'cost', async () => {
        // The cost model reads measured durations from a results file: give it this run's.
        const interim = path.join(tmpDir, 'interim.json');
        await writeFile(interim, JSON.stringify({ date, resize: sections.resize, e2e: sections.e2e }));
        const inputs = await gatherCostInputs({ ...DOCUMENTED_MIX, resultsFile: interim });
        const ours = computeCost(inputs);
        const naive = computeCost({ ...inputs, naive: true });
        const million = { ...inputs, images: 1e6 };
        const storedAnalysis = await measureStoredAnalysisUsage(deployedAnalysisConfig());
        const reprocessUsdPerMillion = {
          everyStep: reprocessCost(million, 'none').usdPerThousand * 1000,
          variantsReused: reprocessCost(million, 'resize').usdPerThousand * 1000,
          variantsAndAnalysisReused: reprocessCost(million, 'resizeAndAnalysis', storedAnalysis).usdPerThousand * 1000,
        };
        log(`  cost: $${ours.usdPerThousand.toFixed(3)} per 1,000 (naive $${naive.usdPerThousand.toFixed(3)})`);
        log(
          `  reprocessing 1 M images: $${reprocessUsdPerMillion.everyStep.toFixed(0)} every step, $${reprocessUsdPerMillion.variantsReused.toFixed(0)} with the stored variants reused, $${reprocessUsdPerMillion.variantsAndAnalysisReused.toFixed(0)} with the stored variants and analysis reused`,
        );
        return {
          usdPerThousand: ours.usdPerThousand,
          reprocessUsdPerMillion,
          naiveUsdPerThousand: naive.usdPerThousand,
          inputs,
          lines: ours.lines,
          naiveLines: naive.lines,
        };
      });
    } else sections.skipped.cost = '--only';
    if (wanted('analytics'))
      sections.analytics = await attempt(sections, 'analytics', () =>
        runAnalyticsBench({ facts: plan.analyticsFacts, runs: plan.analyticsRuns, log }),
      );
    else sections.skipped.analytics = '--only';
    if (wanted('video'))
      sections.video = await attempt(sections, 'video', () =>
        runVideoBench({ seconds: plan.videoSeconds, priority: argv.includes('--video-priority'), log }),
      );
    else sections.skipped.video = '--only';
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }

  const targets = computeTargets(sections);
  const wallSeconds = Math.round((Date.now() - started) / 1000);
  const results = { date, quick, wallSeconds, machine, targets, ...sections };
  const resultsDir = repoPath('bench', 'results');
  await mkdir(resultsDir, { recursive: true });
  const block = resultsBlock(date, machine, quick, sections, targets);
  log(`\n${block}\n\nWall time ${wallSeconds} s.`);
  if (quick || only) {
    // A smoke check never replaces the full results the README shows.
    await writeFile(path.join(resultsDir, 'quick.json'), `${JSON.stringify(results, null, 2)}\n`);
    log('Wrote bench/results/quick.json');
  } else {
    await writeFile(path.join(resultsDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    await writeFile(
      path.join(resultsDir, 'chart.svg'),
      renderChart(sections, targets, `Smart Image Pipeline bench, ${date.slice(0, 16)}Z, ${machine.cores} cores, Node ${machine.node}`),
    );
    const readmePath = repoPath('bench', 'README.md');
    const readme = await readFile(readmePath, 'utf8').catch(() => `${README_START}\n${README_END}\n`);
    const [head, rest] = readme.split(README_START);
    const tail = rest?.split(README_END)[1] ?? '\n';
    await writeFile(readmePath, `${head}${README_START}\n${block}\n${README_END}${tail}`);
    log('Wrote bench/results/latest.json, bench/results/chart.svg and the results block of bench/README.md');
  }
  process.exit(Object.keys(sections.errors).length > 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(2);
});
