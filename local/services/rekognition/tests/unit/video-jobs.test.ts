import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeClip } from '../../../../../tests/support/video-clips';
import type { AnalysisJob } from '../../../../vision';
import { sampleFrames, type SampledVideo, type SamplingLimits } from '../../video/frame-sampler';
import { LocalVideoJobs, mapInOrder, type VideoJobsDeps } from '../../video/video-jobs';

// ffmpeg samples a 3-second clip; generous because the machine is shared, this bounds a hang and times nothing.
jest.setTimeout(120_000);

/** A vision service stand-in that names each frame by its call number, so answers can be traced to frames. */
function fakeVision(options: { hold?: boolean } = {}) {
  const calls: AnalysisJob['operation'][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const analyse = async (job: AnalysisJob): Promise<string> => {
    calls.push(job.operation);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // A stopped process: the call never answers.
    if (options.hold) return new Promise<string>(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 5));
    inFlight -= 1;
    return job.operation === 'DetectLabels'
      ? JSON.stringify({ Labels: [{ Name: 'Pattern', Confidence: 90 }], LabelModelVersion: '3.0' })
      : JSON.stringify({ ModerationLabels: [], ModerationModelVersion: '7.0' });
  };
  return { analyse, calls, maxInFlight: () => maxInFlight };
}

describe('local Rekognition Video jobs', () => {
  let clip: Buffer;
  let dataDir: string;
  const objects = new Map<string, Buffer>();
  const Video = { S3Object: { Bucket: 'processed', Name: 'clip.mp4' } };
  const samples: number[] = [];
  const countingSampler = (bytes: Buffer, limits: SamplingLimits): Promise<SampledVideo> => {
    samples.push(bytes.length);
    return sampleFrames(bytes, limits);
  };
  const jobsWith = (deps: Partial<VideoJobsDeps> & Pick<VideoJobsDeps, 'analyse'>) =>
    new LocalVideoJobs({
      dataDir,
      readS3Object: async (bucket, key) => {
        const bytes = objects.get(`${bucket}/${key}`);
        if (!bytes) throw new Error(`NoSuchKey: ${key}`);
        return bytes;
      },
      sample: countingSampler,
      warn: () => undefined,
      ...deps,
    });

  beforeAll(async () => {
    clip = await readFile(await makeClip({ seconds: 3, width: 320, height: 240, fps: 10 }));
  });

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'video-jobs-'));
    objects.clear();
    objects.set('processed/clip.mp4', clip);
    samples.length = 0;
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('samples a video once for its label and moderation jobs, and keeps one frame per worker in the vision service', async () => {
    // Prepare
    const vision = fakeVision();
    const jobs = jobsWith({ analyse: vision.analyse, frameConcurrency: 2 });

    // Act
    const labels = await jobs.handle('StartLabelDetection', { Video });
    const moderation = await jobs.handle('StartContentModeration', { Video });
    await jobs.idle();
    const labelResult = await jobs.handle('GetLabelDetection', { JobId: labels.JobId });
    const moderationResult = await jobs.handle('GetContentModeration', { JobId: moderation.JobId });

    // Assess
    expect(samples).toEqual([clip.length]);
    expect(labelResult.JobStatus).toBe('SUCCEEDED');
    expect(moderationResult.JobStatus).toBe('SUCCEEDED');
    // One frame per second of the 3-second clip, each through both models.
    expect((labelResult.Labels as Array<{ Timestamp: number }>).map((entry) => entry.Timestamp)).toEqual([0, 1000, 2000]);
    expect(vision.calls.filter((operation) => operation === 'DetectLabels')).toHaveLength(3);
    expect(vision.calls.filter((operation) => operation === 'DetectModerationLabels')).toHaveLength(3);
    expect(vision.maxInFlight()).toBe(2);
  });

  it('samples again for a job started after the first video was finished', async () => {
    // Prepare
    const jobs = jobsWith({ analyse: fakeVision().analyse });

    // Act
    await jobs.handle('StartLabelDetection', { Video });
    await jobs.idle();
    await jobs.handle('StartContentModeration', { Video });
    await jobs.idle();

    // Assess: the frames were not kept once no job held them.
    expect(samples).toEqual([clip.length, clip.length]);
  });

  it('answers finished jobs after a restart, and gives the same job for a repeated ClientRequestToken', async () => {
    // Prepare
    const first = jobsWith({ analyse: fakeVision().analyse });
    const { JobId } = await first.handle('StartLabelDetection', { Video, ClientRequestToken: 'img-1-r1-labels', JobTag: 'img-1' });
    await first.idle();
    const before = await first.handle('GetLabelDetection', { JobId, AggregateBy: 'SEGMENTS' });

    // Act
    const restarted = jobsWith({ analyse: fakeVision().analyse });
    const after = await restarted.handle('GetLabelDetection', { JobId, AggregateBy: 'SEGMENTS' });
    const again = await restarted.handle('StartLabelDetection', { Video, ClientRequestToken: 'img-1-r1-labels' });

    // Assess
    expect(after).toEqual(before);
    expect(after).toMatchObject({ JobStatus: 'SUCCEEDED', JobTag: 'img-1', LabelModelVersion: '3.0' });
    expect(again.JobId).toBe(JobId);
    expect(samples).toHaveLength(1);
  });

  it('runs a job that was IN_PROGRESS when the process stopped again from its first frame', async () => {
    // Prepare: the first process stops while its vision calls are unanswered.
    const stopped = jobsWith({ analyse: fakeVision({ hold: true }).analyse });
    const { JobId } = await stopped.handle('StartContentModeration', { Video, ClientRequestToken: 'img-2-r1-moderation' });
    const during = await stopped.handle('GetContentModeration', { JobId });

    // Act
    const vision = fakeVision();
    const restarted = jobsWith({ analyse: vision.analyse });
    const redriven = await restarted.handle('StartContentModeration', { Video, ClientRequestToken: 'img-2-r1-moderation' });
    await restarted.idle();
    const after = await restarted.handle('GetContentModeration', { JobId });

    // Assess
    expect(during.JobStatus).toBe('IN_PROGRESS');
    expect(redriven.JobId).toBe(JobId);
    expect(after).toMatchObject({ JobStatus: 'SUCCEEDED', ModerationLabels: [], ModerationModelVersion: '7.0' });
    expect(vision.calls).toEqual(['DetectModerationLabels', 'DetectModerationLabels', 'DetectModerationLabels']);
  });

  it('leaves a job whose frames fail while the stack stops IN_PROGRESS, so the next start runs it to the end', async () => {
    // Prepare: the vision workers are shut down under the job (each call then fails, as the pool's close makes it).
    let release!: () => void;
    const shutDown = new Promise<void>((resolve) => (release = resolve));
    const stopping = jobsWith({
      analyse: async () => {
        await shutDown;
        throw new Error('InternalServerError: the vision worker stopped');
      },
    });
    const { JobId } = await stopping.handle('StartLabelDetection', { Video });

    // Act
    stopping.stop();
    release();
    await stopping.idle();
    const onDisk = JSON.parse(await readFile(join(dataDir, 'rekognition', 'video-jobs', `${String(JobId)}.json`), 'utf8')) as {
      status: string;
    };
    const restarted = jobsWith({ analyse: fakeVision().analyse });
    await restarted.idle();
    const after = await restarted.handle('GetLabelDetection', { JobId });

    // Assess
    expect(onDisk.status).toBe('IN_PROGRESS');
    expect(after.JobStatus).toBe('SUCCEEDED');
  });

  it('fails an interrupted job whose video is gone, saying why, and skips a job file it cannot read', async () => {
    // Prepare
    const stopped = jobsWith({ analyse: fakeVision({ hold: true }).analyse });
    const { JobId } = await stopped.handle('StartLabelDetection', { Video });
    objects.clear();
    await writeFile(join(dataDir, 'rekognition', 'video-jobs', 'broken.json'), '{"id": "cut off');
    const warnings: string[] = [];

    // Act
    const restarted = jobsWith({ analyse: fakeVision().analyse, warn: (message) => warnings.push(message) });
    await restarted.idle();
    const after = await restarted.handle('GetLabelDetection', { JobId });

    // Assess
    expect(after.JobStatus).toBe('FAILED');
    expect(after.StatusMessage).toMatch(/stopped while this job ran, and its video can no longer be read: .*NoSuchKey/);
    expect(after.Labels).toEqual([]);
    expect(warnings).toEqual(['skipped broken.json: not a readable job file']);
    expect((await readdir(join(dataDir, 'rekognition', 'video-jobs'))).sort()).toEqual([`${String(JobId)}.json`, 'broken.json'].sort());
  });
});

describe('mapInOrder', () => {
  it('keeps the order of the items whatever order the work ends in, with at most `limit` running', async () => {
    // Prepare
    let running = 0;
    let most = 0;
    const work = async (delay: number) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, delay));
      running -= 1;
      return delay * 2;
    };

    // Act
    const results = await mapInOrder([30, 5, 20, 1, 10], 2, work);

    // Assess
    expect(results).toEqual([60, 10, 40, 2, 20]);
    expect(most).toBe(2);
  });

  it('stops taking items after the first failure and rejects with it', async () => {
    // Prepare
    const started: number[] = [];

    // Act
    const run = mapInOrder([1, 2, 3, 4, 5, 6], 2, async (item) => {
      started.push(item);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (item === 2) throw new Error('frame 2 is unreadable');
      return item;
    });

    // Assess
    await expect(run).rejects.toThrow('frame 2 is unreadable');
    expect(started.length).toBeLessThan(6);
  });
});
