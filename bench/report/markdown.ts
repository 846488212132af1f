import type { MachineInfo } from '../lib/machine';
import type { BenchSections, Target } from './targets';
import type { VideoStepTiming } from '../video/steps';

const fmt = (value: number | null | undefined, digits = 2) =>
  value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);

/** The targets as a Markdown table. */
export function targetsTable(targets: Target[]): string {
  const rows = targets.map(
    (t) =>
      `| ${t.name} | ${fmt(t.value)} ${t.value === null ? '' : t.unit} | ${t.better === 'higher' ? '≥' : '≤'} ${t.target} ${t.unit} | ${t.met ? 'met' : '**missed**'} | ${t.note ?? ''} |`,
  );
  return ['| target | value | goal | | note |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** The resize contenders as a Markdown table. */
export function resizeTable(s: BenchSections): string {
  if (!s.resize) return '';
  const rows = Object.entries(s.resize.contenders).map(([name, c]) => {
    if (!c.available) return `| ${name} | missing: ${c.missingReason} | | | | |`;
    const one = c.byConcurrency['1'];
    const two = c.byConcurrency['2'];
    return `| ${name} | ${fmt(one?.imagesPerSecond, 3)} | ${fmt(two?.imagesPerSecond, 3)} | ${fmt(one?.msPerImage, 0)} | ${fmt(c.peakRssMb, 0)} | ${fmt(c.peakRssMbOnRssImage, 0)} |`;
  });
  const sizes = [...new Set(s.resize.inputs.map((i) => i.megapixels))].join(' and ');
  return [
    `Resize step, ${s.resize.inputs.length} inputs (${sizes} MP JPEGs upscaled from ${[...new Set(s.resize.inputs.map((i) => i.source))].join(', ')}):`,
    '',
    `| contender | images/s (c=1) | images/s (c=2) | ms/image (c=1) | peak RSS MB | peak RSS MB, ${s.resize.rssImage.megapixels} MP |`,
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** End-to-end, cold-start and cost lines. */
export function otherTables(s: BenchSections): string {
  const parts: string[] = [];
  if (s.e2e) {
    const e = s.e2e;
    parts.push(
      `Local mode, ${e.photos} photos uploaded at once: ${e.succeeded} succeeded, ${e.failed} failed; ${fmt(e.imagesPerMinute, 1)} images/min; upload→Image Processed p50 ${fmt(e.latencyMs.p50 / 1000, 1)} s, p95 ${fmt(e.latencyMs.p95 / 1000, 1)} s (upload→execution start p50 ${fmt(e.uploadToExecutionStartMs.p50 / 1000, 2)} s); overhead ${fmt(e.overhead * 100, 2)} % (${Math.round(e.executionWallMsTotal / 1000)} s of run wall time over ${Math.round(e.handlerBusyMsTotal / 1000)} s of handler busy time); handler busy medians: ${Object.entries(
        e.handlerBusyMsMedian,
      )
        .map(([k, v]) => `${k.replace('Function', '')} ${Math.round(v)} ms`)
        .join(', ')}.`,
    );
  }
  if (s.coldStart) {
    parts.push(
      [
        '| bundle | import-to-ready median ms | min ms | bundle KB | --enable-source-maps costs ms |',
        '|---|---|---|---|---|',
        ...s.coldStart.map(
          (c) =>
            `| ${c.logicalId} | ${c.error ? `failed: ${c.error.slice(0, 80)}` : fmt(c.importMsMedian, 0)} | ${fmt(c.importMsMin, 0)} | ${Math.round(c.bundleBytes / 1024)} | ${fmt(c.sourceMapsCostMsMedian, 0)} |`,
        ),
      ].join('\n'),
    );
  }
  if (s.search) {
    const q = s.search;
    parts.push(
      [
        `Search over ${q.images.toLocaleString('en')} seeded images (${q.imagesOfSearcher.toLocaleString('en')} of them the searcher's, ${q.itemsWritten.toLocaleString('en')} table items), HTTP through the local API and ApiFunction against local DynamoDB; load average ${q.loadAverageAtStart} when timing began:`,
        '',
        '| search | page | p50 ms | p95 ms | max ms | CPU ms per request | returned | index entries read | read units (local DynamoDB) |',
        '|---|---|---|---|---|---|---|---|---|',
        ...q.queries.flatMap((query) =>
          query.pages.map(
            (page) =>
              `| ${query.name} | ${page.page} | ${fmt(page.p50Ms, 1)} | ${fmt(page.p95Ms, 1)} | ${fmt(page.maxMs, 1)} | ${fmt(page.cpuMsPerRequest, 1)} | ${page.returned} | ${page.scanned} | ${page.consumedReadUnits} |`,
          ),
        ),
      ].join('\n'),
    );
  }
  if (s.reprocess) {
    const r = s.reprocess;
    parts.push(
      `Local reprocessing (reprocess state machine, Distributed Map at concurrency ${r.concurrency}, ${r.images} small seeded images): ${r.reuseImagesPerMinute} images/min with the stored variants reused (${fmt(r.reuseSeconds, 1)} s), ${r.fullImagesPerMinute} images/min resizing again (${fmt(r.fullSeconds, 1)} s); a second run of the same selection ${fmt(r.secondRunSeconds, 1)} s with 0 selected.`,
    );
    // Older results files have no analysed part.
    if (r.analysed)
      parts.push(
        `Reprocessing ${r.analysed.images} analysed images (160×120, the local vision service analyses each): ${r.analysed.analysisReusedImagesPerMinute} images/min with the stored variants and analysis reused (same analysis settings, ${fmt(r.analysed.analysisReusedSeconds, 1)} s), ${r.analysed.analysedAgainImagesPerMinute} images/min analysing again (${fmt(r.analysed.analysedAgainSeconds, 1)} s).`,
      );
  }
  if (s.cost?.reprocessUsdPerMillion)
    parts.push(
      `Reprocessing 1,000,000 images with a new version: $${s.cost.reprocessUsdPerMillion.everyStep.toFixed(0)} running every step, $${s.cost.reprocessUsdPerMillion.variantsReused.toFixed(0)} with the stored variants reused${s.cost.reprocessUsdPerMillion.variantsAndAnalysisReused === undefined ? '' : `, $${s.cost.reprocessUsdPerMillion.variantsAndAnalysisReused.toFixed(0)} with the stored variants and analysis reused`} (\`npm run cost\`).`,
    );
  if (s.cost)
    parts.push(
      `Cost per 1,000 images (default switches, 1M images/month): ours $${s.cost.usdPerThousand.toFixed(3)}, naive (all four Detect calls) $${s.cost.naiveUsdPerThousand.toFixed(3)}. Full table: \`npm run cost\`.`,
    );
  if (s.video) parts.push(videoLine(s.video));
  return parts.join('\n\n');
}

/** The video section in one paragraph: what ran, how long it took, how much memory and CPU. */
function videoLine(v: NonNullable<BenchSections['video']>): string {
  return `Local video (${v.clip.seconds} s of ${v.clip.width}x${v.clip.height} at ${v.clip.fps} fps, ${fmt(v.clip.bytes / 1e6, 1)} MB, ${v.clip.content}): transcode (rendition, poster, thumbnails: ${v.transcode.outputs} files) ${fmt(v.transcode.wallSeconds, 1)} s wall / ${fmt(v.transcode.cpuSeconds, 1)} s CPU; analysis (labels and moderation of ${v.sampling.frames} frames, one every ${v.sampling.everySeconds} s, <= ${v.sampling.maxSide} px, ${v.visionWorkers} vision workers; labels done at ${fmt(v.analysis.labelsDoneSeconds, 1)} s, moderation at ${fmt(v.analysis.moderationDoneSeconds, 1)} s) ${fmt(v.analysis.wallSeconds, 1)} s wall / ${fmt(v.analysis.cpuSeconds, 1)} s CPU; model load once per stack start ${fmt(v.modelLoad.wallSeconds, 1)} s. ${fmt(v.wallSecondsPerVideoMinute, 1)} s per minute of video (${fmt(v.realTimeFactor)}x real time; CPU ${fmt(v.cpuSecondsPerVideoMinute, 1)} s per minute); peak RSS of the process tree ${v.peakTreeRssMb} MB; load average ${v.loadAverage.before.join(' ')} before, ${v.loadAverage.after.join(' ')} after${v.autogroupNice ? ` (bench session's autogroup at nice ${v.autogroupNice})` : ''}; jobs ${v.jobStatus.labels}/${v.jobStatus.moderation}, ${v.labelSegments} label and ${v.moderationSegments} moderation segments.${v.steps ? ` ${videoStepsLine(v.steps)}` : ''}`;
}

/** The two video Lambda steps' real handlers (results written before they were timed have none). */
function videoStepsLine(steps: NonNullable<NonNullable<BenchSections['video']>['steps']>): string {
  const timing = (name: string, t: VideoStepTiming) =>
    `${name} first call ${fmt(t.first.wallMs, 0)} ms wall / ${fmt(t.first.cpuMs, 0)} ms CPU, warm median ${fmt(t.warm.wallMsMedian, 1)} ms / ${fmt(t.warm.cpuMsMedian, 1)} ms CPU over ${t.invocations - 1} calls (import ${fmt(t.importMs, 0)} ms, ${t.memoryMb} MB in the template)`;
  const { probeVideo: probe, composeVideoThumbnails: compose } = steps;
  return `Step handlers on this clip (${steps.date.slice(0, 16)}Z, load ${steps.loadAverage.join(' ')}): ${timing('ProbeVideo', probe)}, ${probe.headerBytesRead} header bytes read; ${timing('ComposeVideoThumbnails', compose)}, a ${compose.frames}-frame sprite of ${fmt(compose.spriteBytes / 1e3, 0)} KB.`;
}

/** The whole generated results block for bench/README.md. */
export function resultsBlock(date: string, machine: MachineInfo, quick: boolean, s: BenchSections, targets: Target[]): string {
  const skipped = Object.entries(s.skipped)
    .map(([k, v]) => `${k} (${v})`)
    .join('; ');
  const failed = Object.entries(s.errors)
    .map(([k, v]) => `${k}: ${v.slice(0, 160)}`)
    .join('; ');
  return [
    `Run ${date}${quick ? ' (--quick)' : ''} on ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGb} GB, Node ${machine.node}; load average at start ${machine.loadAverageAtStart.join(' ')}.`,
    '',
    targetsTable(targets),
    '',
    resizeTable(s),
    '',
    otherTables(s),
    ...(skipped ? ['', `Skipped: ${skipped}.`] : []),
    ...(failed ? ['', `Failed: ${failed}.`] : []),
  ].join('\n');
}
