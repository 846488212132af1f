import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GetContentModerationCommand,
  GetLabelDetectionCommand,
  StartContentModerationCommand,
  StartLabelDetectionCommand,
} from '@aws-sdk/client-rekognition';
import { analysisSummarySchema, DEFAULT_ANALYSIS_CONFIG } from '@smart-image-pipeline/contracts';
import { collectVideoAnalysis, jobToken, maxPolls, startVideoAnalysis, type VideoAnalysisDeps } from '../../src/analyse-video';
import { parseVideoAnalysisRequest } from '../../src/parse-input';

const load = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../../../events/rekognition-video', name), 'utf8'));

/** A fake Rekognition answering by command name; puts are recorded. */
function deps(answer: (command: unknown) => unknown): VideoAnalysisDeps & { puts: Array<{ key: string; body: unknown; tags: string }> } {
  const puts: Array<{ key: string; body: unknown; tags: string }> = [];
  return {
    rekognition: { send: async (command: unknown) => answer(command) } as never,
    putJson: async (_bucket, key, body, tags) => void puts.push({ key, body, tags }),
    config: async () => DEFAULT_ANALYSIS_CONFIG,
    processedBucketName: 'processed',
    // 95 s after the jobs of events/rekognition-video/collect.json started.
    now: () => new Date('2026-11-25T12:01:35.000Z'),
    puts,
  };
}

const dog = (start: number, end: number, confidence = 95) => ({
  Timestamp: start,
  StartTimestampMillis: start,
  EndTimestampMillis: end,
  Label: { Name: 'Dog', Confidence: confidence, Parents: [{ Name: 'Animal' }] },
});

describe('video analysis', () => {
  it('starts both jobs with revision-derived tokens, so a retried start does not pay twice', async () => {
    // Prepare
    const request = parseVideoAnalysisRequest(load('start.json'));
    const sent: any[] = [];
    const fake = deps((command: any) => {
      sent.push(command);
      return { JobId: command instanceof StartLabelDetectionCommand ? 'labels-job' : 'moderation-job' };
    });

    // Act
    const started = await startVideoAnalysis(request.input as never, fake);

    // Assess
    expect(started).toMatchObject({
      done: false,
      polls: 0,
      durationMs: null,
      jobs: { labelJobId: 'labels-job', moderationJobId: 'moderation-job', startedAt: '2026-11-25T12:01:35.000Z' },
    });
    const { imageId, revision } = request.input;
    const moderationStart: any = sent.find((c) => c instanceof StartContentModerationCommand);
    const tokens = sent.map((c) => c.input.ClientRequestToken as string);
    expect(tokens[0]).toMatch(new RegExp(`^${imageId}-${revision}-l[0-9a-f]{8}$`));
    expect(tokens[1]).toMatch(new RegExp(`^${imageId}-${revision}-m[0-9a-f]{8}$`));
    expect(tokens.every((token) => /^[a-zA-Z0-9-_]{1,64}$/.test(token))).toBe(true);
    expect(moderationStart.input.Video.S3Object.Name).toMatch(/video\/rendition\.mp4$/);
  });

  it('gives a retried start the same tokens, and a start with other thresholds new ones', () => {
    // Prepare
    const run = { imageId: 'a'.repeat(32), revision: 'b'.repeat(16) };
    const video = { S3Object: { Bucket: 'processed', Name: 'images/x/video/rendition.mp4' } };

    // Act
    const first = jobToken(run, 'l', { Video: video, MinConfidence: 55 });
    const retried = jobToken(run, 'l', { Video: video, MinConfidence: 55 });
    const stricter = jobToken(run, 'l', { Video: video, MinConfidence: 85 });

    // Assess
    expect(retried).toBe(first);
    expect(stricter).not.toBe(first);
  });

  it('polls again while a job runs, and gives up after the polls the duration allows', async () => {
    // Prepare
    const request = parseVideoAnalysisRequest(load('collect.json'));
    const running = deps(() => ({ JobStatus: 'IN_PROGRESS' }));

    // Act
    const next = await collectVideoAnalysis(request.input as never, running);
    const late = collectVideoAnalysis({ ...(request.input as never as object), polls: maxPolls(42.5) } as never, running);

    // Assess
    expect(next).toMatchObject({ done: false, polls: 3, summary: null, durationMs: null });
    await expect(late).rejects.toMatchObject({ name: 'VideoAnalysisTimedOutError' });
  });

  it('reads every page and merges detections into labels with time segments and moderation segments', async () => {
    // Prepare
    const request = parseVideoAnalysisRequest(load('collect.json'));
    const fake = deps((command: any) => {
      if (command instanceof GetLabelDetectionCommand) {
        if (command.input.MaxResults === 1) return { JobStatus: 'SUCCEEDED' };
        return command.input.NextToken
          ? {
              JobStatus: 'SUCCEEDED',
              Labels: [
                dog(12_000, 14_000, 97),
                { Timestamp: 3000, StartTimestampMillis: 3000, EndTimestampMillis: 3000, Label: { Name: 'Cat', Confidence: 40 } },
              ],
            }
          : { JobStatus: 'SUCCEEDED', Labels: [dog(1000, 2000), dog(2500, 4000)], NextToken: 'page-2', LabelModelVersion: '3.0' };
      }
      if (command instanceof GetContentModerationCommand) {
        if (command.input.MaxResults === 1) return { JobStatus: 'SUCCEEDED' };
        return {
          JobStatus: 'SUCCEEDED',
          ModerationLabels: [
            {
              Timestamp: 20_000,
              StartTimestampMillis: 20_000,
              EndTimestampMillis: 22_000,
              ModerationLabel: { Name: 'Violence', ParentName: '', Confidence: 88 },
            },
          ],
        };
      }
      throw new Error(`unexpected ${command.constructor.name}`);
    });

    // Act
    const result = await collectVideoAnalysis(request.input as never, fake);

    // Assess
    const summary = analysisSummarySchema.parse(result.summary);
    expect(result.done).toBe(true);
    // The step's time: from the jobs' start to this poll, the Wait states between the polls included.
    expect(result.durationMs).toBe(95_000);
    expect(summary.sections.labels.items).toEqual([
      expect.objectContaining({
        name: 'Dog',
        confidence: 97,
        segments: [
          { start: 1, end: 4, confidence: 95 },
          { start: 12, end: 14, confidence: 97 },
        ],
        attributes: expect.objectContaining({ parents: ['Animal'], firstSeenSeconds: 1 }),
      }),
    ]);
    expect(summary.sections.moderation.items).toEqual([
      expect.objectContaining({ name: 'Violence', segments: [{ start: 20, end: 22, confidence: 88 }] }),
    ]);
    expect(fake.puts.map((p) => [p.key.split('/').pop(), p.tags])).toEqual([
      ['get-label-detection.json', 'retention=raw-analysis'],
      ['get-content-moderation.json', 'retention=raw-analysis'],
    ]);
    expect((fake.puts[0].body as unknown[]).length).toBe(2);
  });

  it('fails the run by name when a job failed', async () => {
    // Prepare
    const failed = deps(() => ({ JobStatus: 'FAILED', StatusMessage: 'Unsupported codec' }));

    // Act / Assess
    await expect(collectVideoAnalysis(parseVideoAnalysisRequest(load('collect.json')).input as never, failed)).rejects.toMatchObject({
      name: 'VideoAnalysisFailedError',
      message: expect.stringContaining('Unsupported codec'),
    });
    expect(() => parseVideoAnalysisRequest({ action: 'other' })).toThrow(expect.objectContaining({ name: 'InvalidVideoInputError' }));
  });

  it('names a video Rekognition refuses', async () => {
    // Prepare
    const refusing = deps(() => {
      throw Object.assign(new Error('Unable to get object metadata from S3'), { name: 'InvalidS3ObjectException' });
    });

    // Act / Assess
    await expect(startVideoAnalysis(parseVideoAnalysisRequest(load('start.json')).input as never, refusing)).rejects.toMatchObject({
      name: 'VideoAnalysisFailedError',
    });
    void StartLabelDetectionCommand;
  });
});
