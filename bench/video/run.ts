/**
 * `npm run bench:video`: local transcode + analysis time per minute of 720p video, and peak RSS (issue 14).
 * A 720p30 H.264 clip with audio (ffmpeg's moving test pattern; `--seconds N`, default 60) is probed, planned and
 * transcoded by the local MediaConvert (rendition, poster, thumbnails), then analysed by the local Rekognition Video
 * (labels and moderation, 1 frame per second through the vision models). Model loading is timed separately.
 * Peak RSS is the whole process tree's (this process, ffmpeg, the vision workers), sampled every 200 ms from /proc.
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../functions/probe-video/src/config';
import { planVideo } from '../../functions/probe-video/src/plan';
import { probeVideo } from '../../functions/probe-video/src/probe';
import { planJob } from '../../local/services/mediaconvert/job-settings';
import { runTranscode } from '../../local/services/mediaconvert/transcoder';
import { LocalVideoJobs } from '../../local/services/rekognition/video/video-jobs';
import { LocalVisionService } from '../../local/vision';
import { clipBytes } from '../../tests/support/video-clips';
import { describeMachine } from '../lib/machine';
import { repoPath } from '../lib/paths';

const log = (line: string) => process.stdout.write(`${line}\n`);

/** Resident memory of this process and all its descendants, in MB (Linux /proc). */
function treeRssMb(): number {
  const parents = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      parents.set(Number(entry), Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0));
      rss.set(Number(entry), Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0));
    } catch {
      // The process ended while we looked.
    }
  }
  const inTree = (pid: number): boolean => pid === process.pid || (pid > 1 && parents.has(pid) && inTree(parents.get(pid)!));
  let kb = 0;
  for (const [pid, value] of rss) if (inTree(pid)) kb += value;
  return kb / 1024;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const secondsAt = argv.indexOf('--seconds');
  const seconds = secondsAt >= 0 ? Number(argv[secondsAt + 1]) : 60;
  const machine = describeMachine();
  log(`video bench: ${seconds} s of 720p30, ${machine.cores} cores, load ${machine.loadAverageAtStart.join(' ')}`);
  let peakMb = 0;
  const sampler = setInterval(() => (peakMb = Math.max(peakMb, treeRssMb())), 200);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sip-bench-video-'));
  try {
    const clip = await clipBytes({ seconds, width: 1280, height: 720, fps: 30, audio: true });
    const objects = new Map<string, Buffer>([['uploads/uploads/bench.mp4', clip]]);

    // Probe and plan, as ProbeVideo does.
    const facts = await probeVideo(
      { size: clip.length, read: async (offset, length) => clip.subarray(offset, offset + length) },
      loadConfig({ PROCESSED_BUCKET_NAME: 'processed' }).limits,
    );
    const settings = loadConfig({ PROCESSED_BUCKET_NAME: 'processed' });
    const plan = planVideo(
      { imageId: 'b'.repeat(32), revision: 'c'.repeat(16), source: { bucket: 'uploads', key: 'uploads/bench.mp4' } },
      facts,
      settings,
    );
    const storage = {
      getObjectBytes: async (bucket: string, key: string) => objects.get(`${bucket}/${key}`)!,
      putObject: async (bucket: string, key: string, body: Buffer) => objects.set(`${bucket}/${key}`, body),
    };

    // Transcode (rendition, poster, thumbnails; HLS off as by default).
    const transcodeStart = performance.now();
    await runTranscode(planJob(plan.transcode.settings as never), storage);
    const transcodeSeconds = (performance.now() - transcodeStart) / 1000;
    log(`transcode: ${transcodeSeconds.toFixed(1)} s`);

    // Analysis: labels and moderation over the rendition, as the local Rekognition Video runs them.
    const modelStart = performance.now();
    const vision = new LocalVisionService({ dataDir });
    await vision.ready();
    const modelLoadSeconds = (performance.now() - modelStart) / 1000;
    const jobs = new LocalVideoJobs({
      readS3Object: async (bucket, key) => objects.get(`${bucket}/${key}`)!,
      analyse: (job) => vision.analyse(job),
    });
    const Video = { S3Object: { Bucket: plan.analysis.bucket, Name: plan.analysis.key } };
    const analysisStart = performance.now();
    const labels = await jobs.handle('StartLabelDetection', { Video, MinConfidence: 50 });
    const moderation = await jobs.handle('StartContentModeration', { Video, MinConfidence: 50 });
    await jobs.idle();
    const analysisSeconds = (performance.now() - analysisStart) / 1000;
    const labelResult = await jobs.handle('GetLabelDetection', { JobId: labels.JobId, AggregateBy: 'SEGMENTS' });
    const moderationResult = await jobs.handle('GetContentModeration', { JobId: moderation.JobId, AggregateBy: 'SEGMENTS' });
    await vision.close();

    const minutes = seconds / 60;
    const result = {
      date: new Date().toISOString(),
      machine,
      video: { seconds, width: 1280, height: 720, fps: 30, bytes: clip.length },
      transcodeSeconds: round(transcodeSeconds),
      analysisSeconds: round(analysisSeconds),
      modelLoadSeconds: round(modelLoadSeconds),
      transcodePlusAnalysisSecondsPerMinute: round((transcodeSeconds + analysisSeconds) / minutes),
      realTimeFactor: round((transcodeSeconds + analysisSeconds) / seconds),
      targetRealTimeFactor: 1,
      peakTreeRssMb: Math.round(peakMb),
      jobStatus: [labelResult.JobStatus, moderationResult.JobStatus],
      labelSegments: (labelResult.Labels as unknown[]).length,
      moderationSegments: (moderationResult.ModerationLabels as unknown[]).length,
    };
    const out = repoPath('bench', 'results', 'video.json');
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    log(JSON.stringify(result, null, 2));
  } finally {
    clearInterval(sampler);
    await rm(dataDir, { recursive: true, force: true });
  }
}

const round = (value: number) => Math.round(value * 100) / 100;

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
