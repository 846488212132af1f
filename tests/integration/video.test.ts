import { analyticsFactSchema, type AnalysisSummary } from '@smart-image-pipeline/contracts';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { factStreamFolders } from '../../local/analytics/facts-db';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { flowersThenPersonClip } from '../support/video-clips';
import { edgeClients } from './support/clients';

// Bounds a hang: the transcode, frame sampling and models share 2 cores with other suites. It times nothing.
jest.setTimeout(600_000);

type VideoItem = {
  status: string;
  mediaType?: string;
  thumbnailKey?: string | null;
  video?: { durationSeconds: number; width: number; height: number; outputs: Record<string, { key: string } | null> };
  analysis?: AnalysisSummary | null;
  error?: { name: string; cause: string };
};

describe('a video upload in local mode: MediaConvert and Rekognition Video answered locally', () => {
  let dataDir: string;
  let stack: LocalStack;
  let clients: ReturnType<typeof edgeClients>;
  const executions = new Map<string, { imageId: string; executionArn: string }>();

  beforeAll(async () => {
    // Prepare: 4 s of flowers then 4 s of a person at 720p, and the same file cut in half (truncated), made now.
    const slides = await readFile(await flowersThenPersonClip());
    dataDir = await mkdtemp(join(tmpdir(), 'sip-video-'));
    // The local moderation model scores the second still at about 32%: a 20% threshold flags it (the default is 60%).
    stack = await startLocalStack({
      dataDir,
      edgePort: 0,
      concurrency: 2,
      asyncRetryDelayMs: 50,
      parameterOverrides: { PipelineConfig: JSON.stringify({ minModerationConfidence: 20 }) },
    });
    clients = edgeClients(stack.edgeUrl);
    const uploads = {
      'uploads/clips/slides.mp4': slides,
      'uploads/clips/truncated.mp4': slides.subarray(0, Math.floor(slides.length / 2)),
    };
    for (const [key, body] of Object.entries(uploads)) {
      await clients.s3.send(new PutObjectCommand({ Bucket: stack.resources.uploadsBucket, Key: key, Body: body }));
    }
    await stack.waitForIdle();
    for (const execution of stack.services.stepfunctions.allExecutions()) {
      const input = JSON.parse(execution.input) as { imageId: string; source: { key: string } };
      executions.set(input.source.key, { imageId: input.imageId, executionArn: execution.executionArn });
    }
  });

  afterAll(async () => {
    clients?.destroy();
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const itemOf = async (key: string): Promise<VideoItem> =>
    (
      await clients.documents.send(
        new GetCommand({ TableName: stack.resources.tableName, Key: { PK: `IMAGE#${executions.get(key)!.imageId}`, SK: 'IMAGE' } }),
      )
    ).Item as VideoItem;

  it('ends SUCCEEDED with the rendition, poster, sprite, labels over time and moderation segments', async () => {
    // Act
    const { executionArn, imageId } = executions.get('uploads/clips/slides.mp4')!;
    const described = await clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const item = await itemOf('uploads/clips/slides.mp4');
    const listed = await clients.s3.send(
      new ListObjectsV2Command({ Bucket: stack.resources.processedBucket, Prefix: `images/${imageId}/` }),
    );
    const labelItems = await clients.documents.send(
      new QueryCommand({
        TableName: stack.resources.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :label)',
        ExpressionAttributeValues: { ':pk': `IMAGE#${imageId}`, ':label': 'LABEL#' },
      }),
    );

    // Assess
    expect({ status: described.status, error: described.error }).toEqual({ status: 'SUCCEEDED' });
    expect(item).toMatchObject({ status: 'SUCCEEDED', mediaType: 'video' });
    expect(item.video).toMatchObject({ width: 1280, height: 720 });
    expect(item.video!.durationSeconds).toBeCloseTo(8, 0);
    const keys = (listed.Contents ?? []).map((object) => object.Key!);
    expect(keys).toEqual(
      expect.arrayContaining([item.video!.outputs.rendition!.key, item.video!.outputs.poster!.key, item.video!.outputs.sprite!.key]),
    );
    expect(item.thumbnailKey).toBe(item.video!.outputs.poster!.key);
    // Labels over time: the person is seen only in the second half.
    const person = item.analysis!.sections.labels!.items.find((label) => label.name === 'Person');
    expect(person?.segments?.length).toBeGreaterThan(0);
    expect(person!.segments![0].start).toBeGreaterThanOrEqual(3);
    expect(person!.segments!.at(-1)!.end).toBeCloseTo(8, 0);
    // Moderation segments: only the second still is flagged.
    const moderation = item.analysis!.sections.moderation!.items;
    expect(moderation.map((flagged) => flagged.name)).toContain('Explicit Nudity');
    for (const flagged of moderation) expect(flagged.segments).toEqual([expect.objectContaining({ start: 4, end: 8 })]);
    // "Second 5": one Query by image, then the label items' segments.
    const atFive = (labelItems.Items ?? []).filter((label) =>
      (label.segments as Array<{ start: number; end: number }>).some(({ start, end }) => start <= 5 && 5 <= end),
    );
    expect(atFive.map((label) => label.label)).toContain('Person');
    expect((labelItems.Items ?? []).every((label) => label.mediaType === 'video')).toBe(true);
  });

  it('refuses a truncated video from its header with a reason, and records it', async () => {
    // Act
    const { executionArn } = executions.get('uploads/clips/truncated.mp4')!;
    const described = await clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const item = await itemOf('uploads/clips/truncated.mp4');

    // Assess
    expect(described.status).toBe('FAILED');
    expect(item.status).toBe('FAILED');
    expect(item.error?.name).toBe('CorruptVideoError');
    expect(item.error?.cause).toMatch(/truncat|end of the file|beyond/i);
  });

  it('writes facts with the video steps timed: the local MediaConvert job and the analysis jobs, start to done', async () => {
    // Act
    const facts = factStreamFolders(dataDir)
      .flatMap((stream) => readdirSync(stream).map((day) => join(stream, day, 'records.jsonl')))
      .flatMap((file) => readFileSync(file, 'utf8').split('\n').filter(Boolean))
      .map((line) => analyticsFactSchema.parse(JSON.parse(line)));
    const factOf = (key: string) => facts.find((fact) => fact.imageId === executions.get(key)!.imageId)!;
    const slides = factOf('uploads/clips/slides.mp4');
    const truncated = factOf('uploads/clips/truncated.mp4');

    // Assess
    expect(slides).toMatchObject({ factType: 'processed', format: 'mp4', analyseMs: null });
    if (slides.factType !== 'processed') return;
    // ffmpeg transcoded 8 s of 720p and the local models read its frames: both took real time.
    expect(slides.transcodeMs).toBeGreaterThan(0);
    expect(slides.videoAnalysisMs).toBeGreaterThan(0);
    const wholeRunMs = Date.parse(slides.occurredAt) - Date.parse(slides.receivedAt);
    // The event's time (the fact's occurredAt) may be whole seconds: up to 1 s early.
    expect(slides.transcodeMs! + slides.videoAnalysisMs!).toBeLessThanOrEqual(wholeRunMs + 1000);
    // Refused at ProbeVideo: no transcode ran.
    expect(truncated).toMatchObject({ factType: 'failed', failureReason: 'CorruptVideoError', transcodeMs: null, videoAnalysisMs: null });
  });
});
