import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VideoFacts } from '@smart-image-pipeline/contracts';
import { loadConfig } from '../../../../../functions/probe-video/src/config';
import { planVideo } from '../../../../../functions/probe-video/src/plan';
import { probeVideo } from '../../../../../functions/probe-video/src/probe';
import { makeClip } from '../../../../../tests/support/video-clips';
import type { EdgeRequest } from '../../../../edge/types';
import { createMediaConvertService, INTERRUPTED_JOB_ERROR_CODE, type LocalJob } from '../../mediaconvert-service';
import { fromWire, toWire } from '../../wire-case';
import type { TranscodeStorage } from '../../transcoder';

// ffmpeg transcodes a 2-second clip; generous because the machine is shared, this bounds a hang and times nothing.
jest.setTimeout(120_000);

const ROLE = 'arn:aws:iam::000000000000:role/MediaConvertRole';
/** A MediaConvert call as the SDK sends it: REST-JSON with camelCase members, signed for "mediaconvert". */
function call(method: 'GET' | 'POST', path: string, body?: unknown): EdgeRequest {
  return {
    method,
    url: new URL(`http://127.0.0.1${path}`),
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(body === undefined ? '' : JSON.stringify(toWire(body))),
    signingService: 'mediaconvert',
  };
}

async function answer(service: ReturnType<typeof createMediaConvertService>, request: EdgeRequest): Promise<LocalJob> {
  const response = await service.handle(request);
  return (fromWire(JSON.parse(String(response.body))) as { Job: LocalJob }).Job;
}

describe('local MediaConvert jobs across a restart', () => {
  let dataDir: string;
  let clip: Buffer;
  let facts: VideoFacts;
  const objects = new Map<string, Buffer>();
  const storage: TranscodeStorage = {
    getObjectBytes: async (bucket, key) => objects.get(`${bucket}/${key}`) ?? Promise.reject(new Error(`NoSuchKey: ${key}`)),
    putObject: async (bucket, key, body) => objects.set(`${bucket}/${key}`, body),
  };
  const settings = () =>
    planVideo({ imageId: 'a'.repeat(32), revision: 'b'.repeat(16), source: { bucket: 'uploads', key: 'uploads/clip.mp4' } }, facts, {
      processedBucketName: 'processed',
      maxAnalysisMinutes: 10,
      hlsEnabled: false,
    }).transcode.settings;

  beforeAll(async () => {
    clip = await readFile(await makeClip({ seconds: 2, width: 320, height: 240, fps: 10 }));
    // The facts ProbeVideo reads from the clip's header, which the plan is made from.
    facts = await probeVideo(
      { size: clip.length, read: async (offset, length) => clip.subarray(offset, offset + length) },
      loadConfig({ PROCESSED_BUCKET_NAME: 'processed' }).limits,
    );
  });

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mediaconvert-'));
    objects.clear();
    objects.set('uploads/uploads/clip.mp4', clip);
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers GetJob for a finished job after a restart, as before it', async () => {
    // Prepare
    const first = createMediaConvertService({ dataDir, region: 'us-east-1', accountId: '000000000000', storage });
    const created = await answer(first, call('POST', '/2017-08-29/jobs', { Role: ROLE, Settings: settings() }));
    await first.drain();
    const before = await answer(first, call('GET', `/2017-08-29/jobs/${created.Id}`));

    // Act
    const restarted = createMediaConvertService({ dataDir, region: 'us-east-1', accountId: '000000000000', storage });
    const after = await answer(restarted, call('GET', `/2017-08-29/jobs/${created.Id}`));

    // Assess
    expect(before.Status).toBe('COMPLETE');
    expect(after).toEqual(before);
    expect(after.OutputGroupDetails?.[0].OutputDetails[0]).toMatchObject({
      DurationInMs: 2000,
      VideoDetails: { WidthInPx: 320, HeightInPx: 240 },
    });
  });

  it('reads ERROR for a job the process stopped in the middle of, and skips a job file it cannot read', async () => {
    // Prepare: the first process never gets its input (it stops while reading it).
    const stalled = createMediaConvertService({
      dataDir,
      region: 'us-east-1',
      accountId: '000000000000',
      storage: { ...storage, getObjectBytes: () => new Promise<Buffer>(() => undefined) },
    });
    const created = await answer(stalled, call('POST', '/2017-08-29/jobs', { Role: ROLE, Settings: settings() }));
    await new Promise((resolve) => setImmediate(resolve));
    const during = await answer(stalled, call('GET', `/2017-08-29/jobs/${created.Id}`));
    await writeFile(join(dataDir, 'mediaconvert', 'jobs', 'half.json'), '{"Id": "12');
    const warnings: string[] = [];

    // Act
    const restarted = createMediaConvertService({
      dataDir,
      region: 'us-east-1',
      accountId: '000000000000',
      storage,
      warn: (message) => warnings.push(message),
    });
    const after = await answer(restarted, call('GET', `/2017-08-29/jobs/${created.Id}`));
    await restarted.drain();
    const onDisk = JSON.parse(await readFile(join(dataDir, 'mediaconvert', 'jobs', `${created.Id}.json`), 'utf8')) as LocalJob;

    // Assess
    expect(during.Status).toBe('PROGRESSING');
    expect(after).toMatchObject({
      Status: 'ERROR',
      ErrorCode: INTERRUPTED_JOB_ERROR_CODE,
      ErrorMessage: 'The local stack stopped while the job ran',
    });
    expect(after.Timing.FinishTime).toBeGreaterThanOrEqual(after.Timing.SubmitTime);
    expect(onDisk.Status).toBe('ERROR');
    expect(warnings).toEqual(['skipped half.json: not a readable job file']);
  });
});
