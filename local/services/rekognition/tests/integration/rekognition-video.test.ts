import {
  GetContentModerationCommand,
  GetLabelDetectionCommand,
  InvalidS3ObjectException,
  RekognitionClient,
  ResourceNotFoundException,
  StartContentModerationCommand,
  StartLabelDetectionCommand,
  type GetContentModerationCommandOutput,
  type GetLabelDetectionCommandOutput,
} from '@aws-sdk/client-rekognition';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flowersThenPersonClip, makeClip } from '../../../../../tests/support/video-clips';
import { startRekognitionServer } from '../../server';
import { edgeClientConfig } from '../../../../edge/tests/support/edge-client';

// Generous: model loading and ffmpeg share 2 cores with other suites; this bounds a hang, it times nothing.
jest.setTimeout(600_000);

/** Polls a Get* call until the job leaves IN_PROGRESS, as a caller would. */
async function whenDone<T extends { JobStatus?: string }>(get: () => Promise<T>): Promise<{ first: T; last: T }> {
  const first = await get();
  let last = first;
  while (last.JobStatus === 'IN_PROGRESS') {
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await get();
  }
  return { first, last };
}

describe('local Rekognition Video (stored-video jobs through @aws-sdk/client-rekognition)', () => {
  let dataDir: string;
  let server: Awaited<ReturnType<typeof startRekognitionServer>>;
  let client: RekognitionClient;
  const videos = new Map<string, string>();

  beforeAll(async () => {
    // Prepare: 4 s of flowers then 4 s of a person, 1280x720 H.264, made by ffmpeg now.
    videos.set('slides.mp4', await flowersThenPersonClip());
    videos.set('audio-only.mp4', await makeClip({ seconds: 2, audioOnly: true }));
    dataDir = await mkdtemp(join(tmpdir(), 'vision-video-'));
    server = await startRekognitionServer({
      dataDir,
      workers: 1,
      readS3Object: async (_bucket, key) => {
        const path = videos.get(key);
        if (!path) throw new Error(`NoSuchKey: ${key}`);
        return readFile(path);
      },
    });
    client = new RekognitionClient(edgeClientConfig(server.url));
  });

  afterAll(async () => {
    client?.destroy();
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const video = (name: string) => ({ S3Object: { Bucket: 'processed', Name: name } });

  it('detects labels over time: IN_PROGRESS, then SUCCEEDED with segments where each still is shown, paged by NextToken', async () => {
    // Act
    const { JobId } = await client.send(new StartLabelDetectionCommand({ Video: video('slides.mp4'), MinConfidence: 20, JobTag: 'img-1' }));
    const get = (extra: Partial<{ NextToken: string; MaxResults: number }> = {}) =>
      client.send(new GetLabelDetectionCommand({ JobId, AggregateBy: 'SEGMENTS', ...extra }));
    const { first, last } = await whenDone<GetLabelDetectionCommandOutput>(() => get());
    const pages: GetLabelDetectionCommandOutput[] = [];
    let token: string | undefined;
    do {
      const next = await get({ MaxResults: 2, NextToken: token });
      pages.push(next);
      token = next.NextToken;
    } while (token);
    const timestamps = await client.send(new GetLabelDetectionCommand({ JobId, AggregateBy: 'TIMESTAMPS', SortBy: 'NAME' }));

    // Assess
    expect(first.JobStatus).toBe('IN_PROGRESS');
    expect(last.JobStatus).toBe('SUCCEEDED');
    expect(last.JobTag).toBe('img-1');
    expect(last.GetRequestMetadata).toEqual({ SortBy: 'TIMESTAMP', AggregateBy: 'SEGMENTS' });
    expect(last.VideoMetadata).toMatchObject({ Codec: 'h264', FrameWidth: 1280, FrameHeight: 720, DurationMillis: 8000 });
    const segments = last.Labels ?? [];
    const person = segments.filter((entry) => entry.Label?.Name === 'Person');
    expect(person.length).toBeGreaterThan(0);
    // The person is on screen from 4 s: no segment of it starts before, and it lasts to the end.
    expect(Math.min(...person.map((entry) => entry.StartTimestampMillis!))).toBeGreaterThanOrEqual(3000);
    expect(Math.max(...person.map((entry) => entry.EndTimestampMillis!))).toBe(8000);
    for (const entry of segments) {
      expect(entry.DurationMillis).toBe(entry.EndTimestampMillis! - entry.StartTimestampMillis!);
      expect(entry.Timestamp).toBe(entry.StartTimestampMillis);
      expect(entry.Label?.Confidence).toBeGreaterThanOrEqual(20);
    }
    // The first still gets labels of its own (whatever the local model calls it), which end when it does at the latest
    // (a label near MinConfidence 20 may flicker off between frames of one still) and at least one lasts to its end.
    const firstStill = segments.filter((entry) => entry.StartTimestampMillis! < 4000);
    expect(firstStill.length).toBeGreaterThan(0);
    expect(firstStill.every((entry) => entry.EndTimestampMillis! <= 4000 && entry.Label?.Name !== 'Person')).toBe(true);
    expect(firstStill.some((entry) => entry.EndTimestampMillis === 4000)).toBe(true);
    // Sorted by time; pages of 2 add up to the whole list.
    expect(segments.map((entry) => entry.Timestamp)).toEqual([...segments.map((entry) => entry.Timestamp!)].sort((a, b) => a - b));
    expect(pages.flatMap((p) => p.Labels ?? [])).toEqual(segments);
    expect(pages.length).toBe(Math.ceil(segments.length / 2));
    // TIMESTAMPS: one entry per sampled frame (1 per second) and label, sorted by name.
    const names = (timestamps.Labels ?? []).map((entry) => entry.Label!.Name!);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect((timestamps.Labels ?? []).filter((entry) => entry.Label?.Name === 'Person').map((entry) => entry.Timestamp)).toEqual([
      4000, 5000, 6000, 7000,
    ]);
    expect(timestamps.LabelModelVersion).toBeTruthy();
  });

  it('returns moderation segments only where the flagged still is shown, and the same job for a repeated ClientRequestToken', async () => {
    // Act
    const start = () =>
      client.send(
        new StartContentModerationCommand({ Video: video('slides.mp4'), MinConfidence: 20, ClientRequestToken: 'img-1-r1-moderation' }),
      );
    const { JobId } = await start();
    const again = await start();
    const { last } = await whenDone<GetContentModerationCommandOutput>(() =>
      client.send(new GetContentModerationCommand({ JobId, AggregateBy: 'SEGMENTS' })),
    );

    // Assess
    expect(again.JobId).toBe(JobId);
    expect(last.JobStatus).toBe('SUCCEEDED');
    // Only the second still is flagged, from 4 s to the end.
    const flagged = last.ModerationLabels ?? [];
    expect(flagged.map((entry) => entry.ModerationLabel?.Name)).toContain('Explicit Nudity');
    expect(flagged.every((entry) => entry.StartTimestampMillis === 4000 && entry.EndTimestampMillis === 8000)).toBe(true);
    expect(last.ModerationModelVersion).toBe('7.0');
  });

  it('fails the job with a StatusMessage for a file with no video stream, and refuses a missing object at the start', async () => {
    // Act
    const { JobId } = await client.send(new StartLabelDetectionCommand({ Video: video('audio-only.mp4') }));
    const { last } = await whenDone(() => client.send(new GetLabelDetectionCommand({ JobId })));
    const missing = client.send(new StartLabelDetectionCommand({ Video: video('nothing-here.mp4') }));
    const unknown = client.send(new GetLabelDetectionCommand({ JobId: 'no-such-job' }));

    // Assess
    expect(last.JobStatus).toBe('FAILED');
    expect(last.StatusMessage).toMatch(/no video stream/);
    expect(last.Labels).toEqual([]);
    await expect(missing).rejects.toBeInstanceOf(InvalidS3ObjectException);
    await expect(unknown).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
