import { analyticsFactSchema, sectionItems, type AnalysisSummary } from '@smart-image-pipeline/contracts';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetExecutionHistoryCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import sharp from 'sharp';
import { factStreamFolders } from '../../local/analytics/facts-db';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { edgeClients, FIXTURES } from './support/clients';

jest.setTimeout(180_000);

type ImageItem = {
  imageId: string;
  status: string;
  variants: Array<{ key: string; format: string; width: number; height: number }>;
  analysis?: AnalysisSummary | null;
  faceCount?: number;
  error?: { name: string; cause: string };
};

const UPLOADS: Array<{ file: string; key: string; bytes?: Buffer }> = [
  { file: 'flowers.jpeg', key: 'uploads/flowers.jpeg' },
  { file: 'Portrait_6.jpg', key: 'uploads/rotated/Portrait 6+(1).jpg' },
  { file: 'ai-face.jpg', key: 'uploads/people/ai-face.jpg' },
  { file: 'grey-plus-alpha.gif', key: 'uploads/tiny.gif' },
  { file: 'corrupt-header.jpg', key: 'uploads/broken/corrupt-header.jpg' },
  { file: 'check.svg', key: 'uploads/check.svg' },
  { file: '', key: 'uploads/empty.jpg', bytes: Buffer.alloc(0) },
  { file: '', key: 'uploads/notes.jpg', bytes: Buffer.from('These are meeting notes, not a JPEG.\n'.repeat(20)) },
];
const FAILING = new Set(['uploads/broken/corrupt-header.jpg', 'uploads/check.svg', 'uploads/empty.jpg', 'uploads/notes.jpg']);

describe('the whole pipeline in local mode, over the wire', () => {
  let dataDir: string;
  let stack: LocalStack;
  let clients: ReturnType<typeof edgeClients>;
  const imageIds = new Map<string, string>();

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sip-pipeline-'));
    stack = await startLocalStack({ dataDir, edgePort: 0, concurrency: 2, asyncRetryDelayMs: 50 });
    clients = edgeClients(stack.edgeUrl);
    for (const upload of UPLOADS) {
      // Default SDK settings: the body goes aws-chunked with a trailing CRC32 checksum.
      await clients.s3.send(
        new PutObjectCommand({
          Bucket: stack.resources.uploadsBucket,
          Key: upload.key,
          Body: upload.bytes ?? (await readFile(join(FIXTURES, upload.file))),
        }),
      );
    }
    await stack.waitForIdle();
    for (const execution of stack.services.stepfunctions.allExecutions()) {
      const input = JSON.parse(execution.input) as { imageId: string; source: { key: string } };
      imageIds.set(input.source.key, input.imageId);
    }
  });

  afterAll(async () => {
    clients?.destroy();
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const item = async (key: string): Promise<ImageItem> => {
    const res = await clients.documents.send(
      new GetCommand({ TableName: stack.resources.tableName, Key: { PK: `IMAGE#${imageIds.get(key)}`, SK: 'IMAGE' } }),
    );
    return res.Item as ImageItem;
  };

  it('runs one execution per upload, each to its final state', async () => {
    // Act
    const listed = await clients.sfn.send(new ListExecutionsCommand({ stateMachineArn: stack.resources.stateMachineArn }));

    // Assess
    const byStatus = (listed.executions ?? []).map((e) => e.status).sort();
    expect(listed.executions).toHaveLength(UPLOADS.length);
    expect(byStatus).toEqual([
      ...UPLOADS.filter((u) => FAILING.has(u.key)).map(() => 'FAILED'),
      ...UPLOADS.filter((u) => !FAILING.has(u.key)).map(() => 'SUCCEEDED'),
    ]);
  });

  it('writes variants with the advertised size, oriented by EXIF', async () => {
    // Prepare
    const flowers = await item('uploads/flowers.jpeg');
    const portrait = await item('uploads/rotated/Portrait 6+(1).jpg');

    // Act
    const w256 = flowers.variants.find((v) => v.key.endsWith('w256.webp'));
    const stored = await sharp(await clients.getBytes(stack.resources.processedBucket, w256?.key ?? '')).metadata();
    const rotated = portrait.variants.find((v) => v.format === 'jpeg') as ImageItem['variants'][number];
    const rotatedMeta = await sharp(await clients.getBytes(stack.resources.processedBucket, rotated.key)).metadata();

    // Assess
    expect(flowers.status).toBe('SUCCEEDED');
    expect({ width: stored.width, height: stored.height, format: stored.format }).toEqual({ width: 256, height: 144, format: 'webp' });
    expect(rotatedMeta.width).toBe(rotated.width);
    // Portrait_6 is stored 600x450 with orientation 6: upright it is 450 wide and 600 high.
    expect(rotatedMeta.height as number).toBeGreaterThan(rotatedMeta.width as number);
    expect(rotatedMeta.orientation ?? 1).toBe(1);
  });

  it('stores the analysis in the table, searchable by label', async () => {
    // Act
    const face = await item('uploads/people/ai-face.jpg');
    const byLabel = await clients.documents.send(
      new QueryCommand({
        TableName: stack.resources.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': 'LABEL#person' },
      }),
    );

    // Assess
    expect(face.status).toBe('SUCCEEDED');
    expect(sectionItems(face.analysis, 'labels').map((l) => l.name)).toContain('Person');
    expect(sectionItems(face.analysis, 'faces').length).toBeGreaterThanOrEqual(1);
    expect(face.faceCount).toBe(sectionItems(face.analysis, 'faces').length);
    expect(byLabel.Items?.map((i) => (i as { GSI1SK: string }).GSI1SK.split('#')[1])).toContain(imageIds.get('uploads/people/ai-face.jpg'));
  });

  it('moderates the person but not the flowers, and keeps the colours and quality ResizeImage measured (defaults)', async () => {
    // Act
    const face = await item('uploads/people/ai-face.jpg');
    const flowers = await item('uploads/flowers.jpeg');

    // Assess
    expect(face.analysis?.calls).toContain('DetectModerationLabels');
    expect(flowers.analysis?.calls).not.toContain('DetectModerationLabels');
    expect(flowers.analysis?.skipped.DetectModerationLabels).toBe('no moderation-like label');
    for (const analysed of [face, flowers]) {
      expect(analysed.analysis?.sections.imageProperties).toMatchObject({
        detector: 'ResizeImage',
        facts: { brightness: expect.any(Number), sharpness: expect.any(Number), contrast: expect.any(Number) },
      });
      expect(sectionItems(analysed.analysis, 'imageProperties').length).toBeGreaterThan(0);
    }
  });

  it('skips analysis for an image too small for Rekognition and still succeeds', async () => {
    // Act
    const tiny = await item('uploads/tiny.gif');

    // Assess
    expect(tiny.status).toBe('SUCCEEDED');
    expect(tiny.analysis).toBeNull();
  });

  it('records each failed file with its reason and keeps the original upload', async () => {
    // Act
    const corrupt = await item('uploads/broken/corrupt-header.jpg');
    const svg = await item('uploads/check.svg');
    const empty = await item('uploads/empty.jpg');
    const notes = await item('uploads/notes.jpg');
    const original = await clients.s3.send(
      new HeadObjectCommand({ Bucket: stack.resources.uploadsBucket, Key: 'uploads/broken/corrupt-header.jpg' }),
    );

    // Assess
    expect(corrupt).toMatchObject({ status: 'FAILED', error: { name: 'CorruptImageError' } });
    expect(svg).toMatchObject({ status: 'FAILED', error: { name: 'UnsupportedImageTypeError' } });
    expect(empty).toMatchObject({ status: 'FAILED', error: { name: 'CorruptImageError' } });
    expect(notes).toMatchObject({ status: 'FAILED', error: { name: 'UnsupportedImageTypeError' } });
    expect(original.ContentLength).toBeGreaterThan(0);
  });

  it('publishes one event per upload on the bus, of the type its outcome calls for', async () => {
    // Act
    const page = await stack.services.eventing.events.listEvents({ limit: 500 });
    const events = page.items.map((archived) => archived.event as { 'detail-type': string; detail: { imageId: string } });

    // Assess
    const types = events.map((event) => `${event.detail.imageId}:${event['detail-type']}`).sort();
    const expected = UPLOADS.map((u) => `${imageIds.get(u.key)}:${FAILING.has(u.key) ? 'Image Failed' : 'Image Processed'}`).sort();
    expect(types).toEqual(expected);
    expect(page.items.every((archived) => archived.eventBusName === stack.app.eventBuses[0].name)).toBe(true);
  });

  it("writes one analytics fact per run with its pipeline version and each step's own time, null where a step did not run", async () => {
    // Act
    const facts = factStreamFolders(dataDir)
      .flatMap((stream) => readdirSync(stream).map((day) => join(stream, day, 'records.jsonl')))
      .flatMap((file) => readFileSync(file, 'utf8').split('\n').filter(Boolean))
      .map((line) => analyticsFactSchema.parse(JSON.parse(line)));
    const factOf = (key: string) => facts.find((fact) => fact.imageId === imageIds.get(key))!;
    const timed = (ms: number | null) => typeof ms === 'number' && Number.isInteger(ms) && ms >= 0;

    // Assess
    expect(facts).toHaveLength(UPLOADS.length);
    const flowers = factOf('uploads/flowers.jpeg');
    expect(flowers).toMatchObject({ factType: 'processed', pipelineVersion: 'v1' });
    if (flowers.factType !== 'processed') return;
    expect([flowers.resolveVersionMs, flowers.resizeMs, flowers.analyseMs, flowers.storeMs].every(timed)).toBe(true);
    // An image has no video steps.
    expect(flowers).toMatchObject({ transcodeMs: null, videoAnalysisMs: null });
    const tiny = factOf('uploads/tiny.gif');
    expect(tiny).toMatchObject({ factType: 'processed', analyseMs: null });
    const corrupt = factOf('uploads/broken/corrupt-header.jpg');
    expect(corrupt).toMatchObject({
      factType: 'failed',
      failureReason: 'CorruptImageError',
      resizeMs: null,
      analyseMs: null,
      storeMs: null,
    });
    if (corrupt.factType !== 'failed') return;
    expect(timed(corrupt.resolveVersionMs)).toBe(true);
  });

  it('serves the execution history in AWS shape, with the skipped analysis visible', async () => {
    // Prepare
    const execution = stack.services.stepfunctions.allExecutions().find((e) => e.input.includes('uploads/tiny.gif'));

    // Act
    const history = await clients.sfn.send(new GetExecutionHistoryCommand({ executionArn: execution?.executionArn }));

    // Assess
    const entered = (history.events ?? []).filter((e) => e.type?.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails?.name);
    expect(entered.slice(0, 4)).toEqual(['ResolveVersion', 'ResizeImage', 'CheckAnalysable', 'StoreMetadata']);
    expect(entered).not.toContain('AnalyseImage');
    expect(history.events?.[0]).toMatchObject({ id: 1, type: 'ExecutionStarted' });
    expect(history.events?.at(-1)?.type).toBe('ExecutionSucceeded');
    const scheduled = (history.events ?? []).filter((e) => e.type === 'TaskScheduled');
    const invoked = scheduled.map((e) => JSON.parse(e.taskScheduledEventDetails?.parameters as string).FunctionName as string);
    expect(invoked[0]).toMatch(/:function:.*ResolveVersionFunction$/);
    expect(invoked[1]).toMatch(/:function:.*ResizeImageFunction$/);
  });

  it('gives one execution for a duplicate S3 event', async () => {
    // Prepare
    const record = stack.services.s3.objectCreatedRecord(stack.resources.uploadsBucket, 'uploads/flowers.jpeg');
    const before = stack.services.stepfunctions.allExecutions().length;

    // Act
    stack.deliver(record);
    stack.deliver(record);
    await stack.waitForIdle();

    // Assess
    expect(stack.services.stepfunctions.allExecutions()).toHaveLength(before);
  });

  it('never writes outputs next to the uploads', async () => {
    // Act
    const listed = await clients.s3.send(new ListObjectsV2Command({ Bucket: stack.resources.uploadsBucket }));

    // Assess
    expect(listed.Contents?.map((o) => o.Key).sort()).toEqual(UPLOADS.map((u) => u.key).sort());
  });

  it('answers a smaller re-upload of an analysed photo from its analysis, without calling Rekognition', async () => {
    // Prepare
    const key = 'uploads/people/ai-face-again.jpg';
    const smaller = await sharp(await readFile(join(FIXTURES, 'ai-face.jpg')))
      .resize(400)
      .jpeg({ quality: 70 })
      .toBuffer();
    await clients.s3.send(new PutObjectCommand({ Bucket: stack.resources.uploadsBucket, Key: key, Body: smaller }));
    await stack.waitForIdle();
    const execution = stack.services.stepfunctions
      .allExecutions()
      .find((e) => (JSON.parse(e.input) as { source: { key: string } }).source.key === key);
    imageIds.set(key, (JSON.parse(execution?.input ?? '{}') as { imageId: string }).imageId);

    // Act
    const again = await item(key);
    const original = await item('uploads/people/ai-face.jpg');

    // Assess
    expect(again.status).toBe('SUCCEEDED');
    expect(again.analysis).toMatchObject({ calls: [], rawKeys: {}, reusedFrom: { imageId: original.imageId } });
    expect(again.analysis?.sections.labels).toEqual(original.analysis?.sections.labels);
    expect(again.faceCount).toBe(original.faceCount);
  });
});
