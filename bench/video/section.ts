import { readFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ProbeVideoOutput, VideoOutputs } from '@smart-image-pipeline/contracts';
import { planJob } from '../../local/services/mediaconvert/job-settings';
import { runTranscode } from '../../local/services/mediaconvert/transcoder';
import { DEFAULT_SAMPLING } from '../../local/services/rekognition/video/frame-sampler';
import { LocalVideoJobs } from '../../local/services/rekognition/video/video-jobs';
import { defaultWorkerCount, LocalVisionService } from '../../local/vision/service';
import { BENCH_CLIP_CONTENT, makeBenchClip } from './clip';
import { autogroupNice, raiseAutogroupPriority } from './priority';
import { processTree } from '../lib/process-tree';
import { startBenchS3, timeVideoStep, type VideoStepTiming } from './steps';

/** What the video section measured: the local MediaConvert and Rekognition Video on one generated 720p clip. */
export interface VideoBenchResult {
  clip: { seconds: number; width: number; height: number; fps: number; bytes: number; content: string };
  /** The nice value of the bench's autogroup while it measured (0 by default; `--priority` raises it to -15). */
  autogroupNice: number | null;
  /** Load average (1, 5, 15 min) before the clip was transcoded and after the analysis ended. */
  loadAverage: { before: number[]; after: number[] };
  visionWorkers: number;
  /** What the label job sampled (the moderation job shares the same frames). */
  sampling: { everySeconds: number; frames: number; maxSide: number };
  transcode: { wallSeconds: number; cpuSeconds: number; outputs: number };
  /** Once per stack start, not per video: kept out of the per-minute figures. */
  modelLoad: { wallSeconds: number; cpuSeconds: number };
  /** Labels and moderation jobs started together, as StartVideoAnalysis starts them; each job's end from its start. */
  analysis: { wallSeconds: number; cpuSeconds: number; labelsDoneSeconds: number; moderationDoneSeconds: number };
  /** (transcode + analysis wall) per minute of video: the target is <= 60 s, i.e. a real-time factor <= 1. */
  wallSecondsPerVideoMinute: number;
  realTimeFactor: number;
  /** CPU time of the same work per minute of video, and the real-time factor it would give with both cores to itself. */
  cpuSecondsPerVideoMinute: number;
  cpuRealTimeFactorOnAllCores: number;
  peakTreeRssMb: number;
  jobStatus: { labels: string; moderation: string };
  labelSegments: number;
  moderationSegments: number;
  /**
   * The state machine's two video Lambda steps, each its real handler on this clip (absent in results written before
   * they were timed): ProbeVideo reads the upload's header by ranged GETs and plans the jobs; ComposeVideoThumbnails
   * reads the transcode's frame captures and writes the sprite sheet. Not part of the per-minute figures above.
   */
  steps?: {
    /** When they ran and the load average then (1, 5, 15 min): they run before and after the window above. */
    date: string;
    loadAverage: number[];
    probeVideo: VideoStepTiming & { headerBytesRead: number };
    composeVideoThumbnails: VideoStepTiming & { frames: number; spriteBytes: number };
  };
}

/** Invocations per step handler: the first is the cold one, the rest give the warm median. */
const STEP_INVOCATIONS = { probeVideo: 20, composeVideoThumbnails: 6 };

const round = (value: number, decimals = 2) => Math.round(value * 10 ** decimals) / 10 ** decimals;
const loadNow = () => os.loadavg().map((value) => round(value));

/** Waits for a job to leave IN_PROGRESS and returns its last Get* answer. */
async function whenDone(get: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
  for (;;) {
    const answer = await get();
    if (answer.JobStatus !== 'IN_PROGRESS') return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Local transcode + analysis time per minute of 720p video, and the peak RSS of the whole process tree (this process,
 * ffmpeg, the vision workers; sampled every 200 ms from /proc). The clip (1280x720 at 30 fps: a moving pattern with real
 * photos over it and a tone, made here by ffmpeg and cached in the temp folder, see clip.ts) is probed and planned as ProbeVideo does, transcoded by
 * the local MediaConvert (rendition, poster, thumbnails), then analysed by the local Rekognition Video (labels and
 * moderation at its default sampling through the vision models). Model loading is timed on its own: the stack loads
 * the models once at start, not per video.
 */
export async function runVideoBench(options: {
  seconds: number;
  priority?: boolean;
  log: (line: string) => void;
}): Promise<VideoBenchResult> {
  const { seconds, log } = options;
  const recipe = { seconds, width: 1280, height: 720, fps: 30 };
  const clip = await readFile(await makeBenchClip(recipe));
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sip-bench-video-'));
  // The step handlers' S3: the upload for ProbeVideo, the transcode's frames for ComposeVideoThumbnails.
  const stepS3 = await startBenchS3();
  // Opt-in: on a shared machine the session's CPU share, not the code, sets the wall time (priority.ts).
  const restorePriority = options.priority ? raiseAutogroupPriority() : undefined;
  const memory = { peakMb: 0, sampler: undefined as NodeJS.Timeout | undefined };
  const workers = defaultWorkerCount();
  const vision = { service: undefined as LocalVisionService | undefined };
  try {
    const upload = { bucket: 'bench-uploads', key: 'uploads/bench.mp4' };
    await stepS3.service.createBucket(upload.bucket, { versioning: true });
    const uploaded = await stepS3.service.putObject(upload.bucket, upload.key, clip, { contentType: 'video/mp4' });
    const run = {
      imageId: 'b'.repeat(32),
      revision: 'c'.repeat(16),
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:bench:video',
    };
    const source = { ...upload, versionId: uploaded.versionId ?? null, sourceOrder: uploaded.sequencer.padStart(32, '0') };
    const stepsStarted = { date: new Date().toISOString(), loadAverage: loadNow() };
    const probe = await timeVideoStep(
      'ProbeVideoFunction',
      { ...run, source },
      { invocations: STEP_INVOCATIONS.probeVideo, s3Url: stepS3.url },
    );
    const { facts, plan } = probe.output as ProbeVideoOutput;
    log(`  ProbeVideo handler ${probe.timing.warm.wallMsMedian} ms wall, ${probe.timing.warm.cpuMsMedian} ms CPU (warm median)`);

    // Transcode (of the plan ProbeVideo made) and analysis; the step handlers' processes are outside this window.
    const objects = new Map<string, Buffer>([[`${upload.bucket}/${upload.key}`, clip]]);
    const storage = {
      getObjectBytes: async (bucket: string, key: string) => objects.get(`${bucket}/${key}`)!,
      putObject: async (bucket: string, key: string, body: Buffer) => objects.set(`${bucket}/${key}`, body),
    };
    memory.sampler = setInterval(() => (memory.peakMb = Math.max(memory.peakMb, processTree().rssMb)), 200);
    const before = loadNow();

    // Transcode: rendition, poster and thumbnails (HLS is off by default).
    const t0 = { at: performance.now(), cpu: processTree().cpuSeconds };
    const transcoded = await runTranscode(planJob(plan.transcode.settings as never), storage);
    const t1 = { at: performance.now(), cpu: processTree().cpuSeconds };
    log(`  transcode ${round((t1.at - t0.at) / 1000, 1)} s wall, ${round(t1.cpu - t0.cpu, 1)} s CPU`);

    vision.service = new LocalVisionService({ dataDir, workers });
    await vision.service.ready();
    const t2 = { at: performance.now(), cpu: processTree().cpuSeconds };
    log(`  model load ${round((t2.at - t1.at) / 1000, 1)} s wall (${workers} workers)`);

    const service = vision.service;
    const jobs = new LocalVideoJobs({
      dataDir,
      readS3Object: async (bucket, key) => objects.get(`${bucket}/${key}`)!,
      analyse: (job) => service.analyse(job),
      frameConcurrency: workers,
    });
    const Video = { S3Object: { Bucket: plan.analysis.bucket, Name: plan.analysis.key } };
    const labels = await jobs.handle('StartLabelDetection', { Video, MinConfidence: 50 });
    const moderation = await jobs.handle('StartContentModeration', { Video, MinConfidence: 50 });
    const ended = { labels: 0, moderation: 0 };
    const [labelResult, moderationResult] = await Promise.all([
      whenDone(() => jobs.handle('GetLabelDetection', { JobId: labels.JobId, AggregateBy: 'SEGMENTS' })).then((answer) => {
        ended.labels = performance.now();
        return answer;
      }),
      whenDone(() => jobs.handle('GetContentModeration', { JobId: moderation.JobId, AggregateBy: 'SEGMENTS' })).then((answer) => {
        ended.moderation = performance.now();
        return answer;
      }),
    ]);
    const t3 = { at: performance.now(), cpu: processTree().cpuSeconds };
    log(`  analysis ${round((t3.at - t2.at) / 1000, 1)} s wall, ${round(t3.cpu - t2.cpu, 1)} s CPU`);
    const after = loadNow();
    clearInterval(memory.sampler);
    // The frames the jobs analysed, as the local Rekognition Video keeps them on disk.
    await jobs.idle();
    const stored = JSON.parse(await readFile(path.join(dataDir, 'rekognition', 'video-jobs', `${String(labels.JobId)}.json`), 'utf8')) as {
      frames?: unknown[];
      intervalMillis?: number;
    };
    await vision.service.close();
    vision.service = undefined;

    // ComposeVideoThumbnails' real handler on the transcode's outputs, copied into the local S3 (not timed).
    await stepS3.service.createBucket(plan.outputs.bucket);
    for (const [where, body] of objects) {
      const [bucket, ...key] = where.split('/');
      if (bucket === plan.outputs.bucket) await stepS3.service.putObject(bucket, key.join('/'), body);
    }
    const compose = await timeVideoStep(
      'ComposeVideoThumbnailsFunction',
      { ...run, sourceOrder: source.sourceOrder, plan },
      { invocations: STEP_INVOCATIONS.composeVideoThumbnails, s3Url: stepS3.url },
    );
    const composed = compose.output as VideoOutputs;
    log(
      `  ComposeVideoThumbnails handler ${compose.timing.warm.wallMsMedian} ms wall, ${compose.timing.warm.cpuMsMedian} ms CPU (warm median)`,
    );

    const transcodeSeconds = (t1.at - t0.at) / 1000;
    const analysisSeconds = (t3.at - t2.at) / 1000;
    const cpuSeconds = t1.cpu - t0.cpu + (t3.cpu - t2.cpu);
    return {
      clip: { ...recipe, bytes: clip.length, content: BENCH_CLIP_CONTENT },
      autogroupNice: autogroupNice(),
      loadAverage: { before, after },
      visionWorkers: workers,
      sampling: {
        everySeconds: (stored.intervalMillis ?? 0) / 1000,
        frames: stored.frames?.length ?? 0,
        maxSide: DEFAULT_SAMPLING.maxSide,
      },
      transcode: {
        wallSeconds: round(transcodeSeconds),
        cpuSeconds: round(t1.cpu - t0.cpu),
        outputs: transcoded.outputs.reduce((sum, output) => sum + output.files.length, 0),
      },
      modelLoad: { wallSeconds: round((t2.at - t1.at) / 1000), cpuSeconds: round(t2.cpu - t1.cpu) },
      analysis: {
        wallSeconds: round(analysisSeconds),
        cpuSeconds: round(t3.cpu - t2.cpu),
        labelsDoneSeconds: round((ended.labels - t2.at) / 1000),
        moderationDoneSeconds: round((ended.moderation - t2.at) / 1000),
      },
      wallSecondsPerVideoMinute: round(((transcodeSeconds + analysisSeconds) / seconds) * 60),
      realTimeFactor: round((transcodeSeconds + analysisSeconds) / seconds, 3),
      cpuSecondsPerVideoMinute: round((cpuSeconds / seconds) * 60),
      cpuRealTimeFactorOnAllCores: round(cpuSeconds / os.availableParallelism() / seconds, 3),
      peakTreeRssMb: Math.round(memory.peakMb),
      jobStatus: { labels: String(labelResult.JobStatus), moderation: String(moderationResult.JobStatus) },
      labelSegments: (labelResult.Labels as unknown[]).length,
      moderationSegments: (moderationResult.ModerationLabels as unknown[]).length,
      steps: {
        ...stepsStarted,
        probeVideo: { ...probe.timing, headerBytesRead: facts.headerBytesRead },
        composeVideoThumbnails: { ...compose.timing, frames: composed.sprite?.count ?? 0, spriteBytes: composed.sprite?.bytes ?? 0 },
      },
    };
  } finally {
    clearInterval(memory.sampler);
    restorePriority?.();
    await vision.service?.close();
    await stepS3.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
