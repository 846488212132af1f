/**
 * Runs the real statemachine/image-pipeline.asl.json through aws-local-stepfunctions with the four real
 * handlers in-process, configured from template.yaml. DynamoDB is dynalite (conditional writes really
 * evaluated), S3 an in-memory map behind aws-sdk-client-mock, Rekognition and SSM are mocked clients with
 * canned API responses, and the PutEvents and SQS Tasks record what they would send. Every event a run publishes is
 * checked against its JSON Schema file (what the template registers) and its zod counterpart.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DetectFacesCommand,
  DetectLabelsCommand,
  DetectModerationLabelsCommand,
  DetectTextCommand,
  GetContentModerationCommand,
  GetLabelDetectionCommand,
  IndexFacesCommand,
  RekognitionClient,
  SearchFacesCommand,
  StartContentModerationCommand,
  StartLabelDetectionCommand,
  ThrottlingException,
} from '@aws-sdk/client-rekognition';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  analysisSummarySchema,
  DETAIL_TYPES,
  factFromEvent,
  PEOPLE_LOCK_SK,
  PEOPLE_LOCK_WAIT_MS,
  pipelineEventSchema,
  sectionItems,
  storedAnalysisRef,
} from '@smart-image-pipeline/contracts';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { mockClient } from 'aws-sdk-client-mock';
import sharp from 'sharp';
import { startImagesTable, type LocalDynamoDb } from './support/dynamodb-local';
import { FakeS3 } from './support/fake-s3';
import { EVENT_BUS_NAME, runPipeline, UNPUBLISHED_EVENTS_QUEUE_URL, type Handler, type PipelineRun } from './support/pipeline-runner';
import { PHYSICAL_NAMES, PIPELINE_FUNCTIONS } from './support/pipeline-functions';
import { functionEnvironment, template } from './support/template-environment';
import { planJob } from '../../local/services/mediaconvert/job-settings';
import { runTranscode } from '../../local/services/mediaconvert/transcoder';
import { clipBytes } from '../support/video-clips';

const repoRoot = join(__dirname, '..', '..');
const fixture = (relativePath: string): Buffer => readFileSync(join(repoRoot, relativePath));
const loadJson = (relativePath: string): any => JSON.parse(fixture(relativePath).toString('utf8'));

const UPLOADER = 'owner@example.com';

// Each test runs a whole pipeline (sharp, dynalite, the real handlers) and one waits 4 s on purpose: Jest's default 5 s
// was met at 4.96 s in a CI run. The limit only ends a hung test: no assertion here depends on how long a run takes.
jest.setTimeout(60_000);

const s3 = new FakeS3();
const rekognition = mockClient(RekognitionClient);
const ssm = mockClient(SSMClient);
const sfn = mockClient(SFNClient);
let dynamo: LocalDynamoDb;
let table: DynamoDBDocumentClient;
let handlers: Record<string, Handler>;

/** Loads each handler module with the environment its template entry gives it, as a cold start would. */
function loadHandlers(): Record<string, Handler> {
  return Object.fromEntries(
    Object.entries(PIPELINE_FUNCTIONS).map(([logicalId, modulePath]) => {
      Object.assign(process.env, functionEnvironment(logicalId, PHYSICAL_NAMES), {
        // Powertools would print every JSON log line into the test output.
        POWERTOOLS_LOG_LEVEL: 'SILENT',
      });
      const { handler } = require(join(repoRoot, modulePath)) as { handler: Handler };
      return [logicalId, handler];
    }),
  );
}

/** Rekognition answers with the flower responses; DetectLabels first fails `throttled` times (Infinity = always). */
function answerRekognition(throttled = 0, moderation = 'detect-moderation-labels-none'): void {
  let labelCalls = 0;
  rekognition.on(DetectLabelsCommand).callsFake(async () => {
    labelCalls += 1;
    if (labelCalls <= throttled) throw new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
    return loadJson('tests/statemachine/fixtures/detect-labels-flowers.json');
  });
  rekognition.on(DetectModerationLabelsCommand).resolves(loadJson(`tests/statemachine/fixtures/${moderation}.json`));
  rekognition.on(DetectFacesCommand).rejects(new Error('DetectFaces must not run for an image without a person label'));
  rekognition.on(DetectTextCommand).rejects(new Error('DetectText must not run for an image without a text label'));
}

let uploads = 0;

/**
 * The state machine input of an events/resize-image case, with its upload put into the fake S3. Each call
 * gets its own imageId and revision, so tests sharing the table never see each other's items.
 */
function upload(eventName: string, body: Buffer, metadata: Record<string, string> = {}, key?: string): any {
  const input = loadJson(`events/resize-image/${eventName}.json`);
  if (key !== undefined) input.source.key = key;
  uploads += 1;
  const suffix = uploads.toString(16).padStart(4, '0');
  input.imageId = `${input.imageId.slice(0, -4)}${suffix}`;
  input.revision = `${input.revision.slice(0, -4)}${suffix}`;
  s3.upload(input.source.bucket, input.source.key, body, metadata);
  return input;
}

async function imageItem(imageId: string): Promise<Record<string, any> | undefined> {
  const { Item } = await table.send(
    new GetCommand({ TableName: PHYSICAL_NAMES.ImagesTable, Key: { PK: `IMAGE#${imageId}`, SK: 'IMAGE' } }),
  );
  return Item;
}

async function imagesWithLabel(label: string): Promise<string[]> {
  const { Items = [] } = await table.send(
    new QueryCommand({
      TableName: PHYSICAL_NAMES.ImagesTable,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :label',
      ExpressionAttributeValues: { ':label': `LABEL#${label}` },
      ScanIndexForward: false,
    }),
  );
  return Items.map((item) => String(item.PK).replace('IMAGE#', ''));
}

/** The JSON Schema validators of the files the template registers, by detail type. */
const schemaValidators = (() => {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv, ['date-time']);
  const file = {
    [DETAIL_TYPES.processed]: 'image-processed',
    [DETAIL_TYPES.failed]: 'image-failed',
    [DETAIL_TYPES.flagged]: 'image-flagged',
  };
  return Object.fromEntries(
    Object.entries(file).map(([type, name]) => [type, ajv.compile(loadJson(`packages/contracts/event-schemas/${name}.v1.json`))]),
  );
})();

/**
 * Checks every event a run published against its JSON Schema and its zod schema, and returns their detail types.
 * Events go to the stack's bus; none carries the object key (the uploader's file name) or an e-mail address.
 */
function validEventTypes(run: PipelineRun, input: { source: { key: string } }): string[] {
  for (const { eventBusName, ...event } of run.events) {
    const validate = schemaValidators[event['detail-type']];
    expect(validate).toBeDefined();
    expect({ type: event['detail-type'], valid: validate(event), errors: validate.errors ?? null }).toEqual({
      type: event['detail-type'],
      valid: true,
      errors: null,
    });
    expect(pipelineEventSchema.parse(event)).toEqual(event);
    expect(eventBusName).toBe(EVENT_BUS_NAME);
    expect(event.resources).toContain(run.executionArn);
    expect(JSON.stringify(event.detail)).not.toContain(input.source.key.slice(input.source.key.lastIndexOf('/') + 1));
    expect(JSON.stringify(event.detail)).not.toContain('@');
  }
  return run.events.map((event) => event['detail-type']);
}

/** GetObject calls that read this key (ResizeImage reading the upload). */
function sourceReads(key: string): number {
  return s3.mock.commandCalls(GetObjectCommand).filter((call) => call.args[0].input.Key === key).length;
}

function callsOf(command: typeof DetectLabelsCommand | typeof DetectModerationLabelsCommand): number {
  return rekognition.commandCalls(command).length;
}

/**
 * The handler behind a Lambda that refuses its first `times` invokes (of the events `when` picks) as Lambda does
 * when concurrency runs out: the lambda:invoke integration then fails with Lambda.TooManyRequestsException.
 */
function throttledFor(times: number, handler: Handler, when: (event: any) => boolean = () => true): Handler & { refused: () => number } {
  let refused = 0;
  const wrapped = async (event: unknown): Promise<unknown> => {
    if (when(event) && refused < times) {
      refused += 1;
      throw Object.assign(new Error('Rate Exceeded.'), { name: 'Lambda.TooManyRequestsException' });
    }
    return handler(event);
  };
  return Object.assign(wrapped, { refused: () => refused });
}

beforeAll(async () => {
  ({ dynamo, table } = await startImagesTable(PHYSICAL_NAMES.ImagesTable));
  handlers = loadHandlers();
});

// RekognitionLabels caches the SSM config for cacheSeconds (Powertools compares its expiry with Date.now()):
// useConfig moves Date.now() past it, so the next run reads the new value as a deployed function would a minute later.
const realNow = Date.now.bind(Date);
let clockOffsetMs = 0;
jest.spyOn(Date, 'now').mockImplementation(() => realNow() + clockOffsetMs);

let configVersions = 0;

/**
 * Serves the template's default config with the given keys changed as the SSM config parameter, as a new pipeline
 * version each time: a version's settings are pinned on its first run and may never change under its name.
 */
function useConfig(changes: Record<string, unknown>): void {
  configVersions += 1;
  const settings = { ...JSON.parse(String(template.Parameters.PipelineConfig.Default)), ...changes };
  useRawConfig({ current: `v${configVersions}`, versions: { [`v${configVersions}`]: settings } });
}

/** Serves this PipelineConfig value as the SSM parameter (after the config caches expire). */
function useRawConfig(config: unknown): void {
  clockOffsetMs += 61_000;
  const value = JSON.stringify(config);
  ssm.reset();
  ssm
    .on(GetParameterCommand, { Name: PHYSICAL_NAMES.PipelineConfigParameter })
    .resolves({ Parameter: { Name: PHYSICAL_NAMES.PipelineConfigParameter, Type: 'String', Value: value } });
}

/**
 * Watches the handlers' people-lock requests (conditional PutItems of the LOCK item by a run): the first one refused
 * moves the test's clock on by the time a run waits for the lock, so that run's next refusal is its last.
 * Only a speed-up: without it the run waits the 30 s for real and the test proves the same.
 * @returns restore(), to stop watching
 */
function refuseLockUntilWaitEnds(): { restore: () => void } {
  let refused = 0;
  const send = DynamoDBDocumentClient.prototype.send;
  const spy = jest.spyOn(DynamoDBDocumentClient.prototype, 'send').mockImplementation(async function (
    this: DynamoDBDocumentClient,
    ...args: Parameters<DynamoDBDocumentClient['send']>
  ) {
    const [command] = args;
    const item = command instanceof PutCommand ? command.input.Item : undefined;
    try {
      return await (send as (...a: unknown[]) => Promise<unknown>).apply(this, args);
    } catch (error) {
      if (item?.SK === PEOPLE_LOCK_SK && (error as Error).name === 'ConditionalCheckFailedException' && (refused += 1) === 1)
        clockOffsetMs += PEOPLE_LOCK_WAIT_MS;
      throw error;
    }
  } as never);
  return { restore: () => spy.mockRestore() };
}

beforeEach(() => {
  rekognition.reset();
  // The tests share one table and several upload the same photo: near-duplicate reuse would answer the later runs
  // from the first one's analysis. The reuse test switches it back on.
  useConfig({ reuseNearDuplicates: false });
});

afterAll(async () => {
  s3.restore();
  rekognition.restore();
  ssm.restore();
  sfn.restore();
  await dynamo?.stop();
});

/**
 * A face collection stand-in: IndexFaces indexes one face per photo (added at once; the first call may answer late),
 * SearchFaces finds every other indexed face at 98 %.
 * @returns the faces indexed so far
 */
function answerFaceCollection(options: { firstAnswerAfterMs?: number } = {}): Array<{ FaceId: string; ExternalImageId: string }> {
  const indexed: Array<{ FaceId: string; ExternalImageId: string }> = [];
  rekognition.on(IndexFacesCommand).callsFake(async (request) => {
    const face = { FaceId: `0000000${indexed.length + 1}-0000-4000-8000-000000000000`, ExternalImageId: request.ExternalImageId };
    indexed.push(face);
    if (indexed.length === 1 && options.firstAnswerAfterMs) await new Promise((resolve) => setTimeout(resolve, options.firstAnswerAfterMs));
    return { FaceRecords: [{ Face: { ...face, BoundingBox: { Left: 0.3, Top: 0.2, Width: 0.2, Height: 0.3 }, Confidence: 99.9 } }] };
  });
  rekognition.on(SearchFacesCommand).callsFake(async (request) => ({
    SearchedFaceId: request.FaceId,
    FaceMatches: indexed.filter((face) => face.FaceId !== request.FaceId).map((Face) => ({ Similarity: 98, Face })),
  }));
  return indexed;
}

describe('image pipeline state machine', () => {
  it('runs the execution that the trigger starts for an S3 event with an awkward key, and announces it without the key', async () => {
    // Prepare
    const event = loadJson('events/trigger-step-function/s3-put-special-key.json');
    // The sample names a deployed account's bucket; the trigger serves only the bucket its template entry names.
    const { UPLOADS_BUCKET_NAME } = functionEnvironment('TriggerStepFunctionFunction', PHYSICAL_NAMES);
    for (const record of event.Records)
      record.s3.bucket = { ...record.s3.bucket, name: UPLOADS_BUCKET_NAME, arn: `arn:aws:s3:::${UPLOADS_BUCKET_NAME}` };
    const started: { name: string; stateMachineArn: string; input: any }[] = [];
    sfn.reset();
    sfn.on(StartExecutionCommand).callsFake(async (request) => {
      started.push({ name: request.name, stateMachineArn: request.stateMachineArn, input: JSON.parse(request.input) });
      return { executionArn: `${request.stateMachineArn.replace(':stateMachine:', ':execution:')}:${request.name}`, startDate: new Date() };
    });
    answerRekognition();

    // Act
    await handlers.TriggerStepFunctionFunction(event);
    const [execution] = started;
    s3.upload(execution.input.source.bucket, execution.input.source.key, fixture('tests/fixtures/images/flowers.jpeg'), {
      'notify-email': UPLOADER,
    });
    const run = await runPipeline(execution.input, { handlers });

    // Assess
    expect(started).toHaveLength(1);
    expect(execution.stateMachineArn).toBe(run.executionArn.replace(/:execution:(.*):[^:]+$/, ':stateMachine:$1'));
    expect(execution.name).toBe(`img-${execution.input.imageId}-${execution.input.revision}`);
    expect(execution.input.source.key).toBe('uploads/Summer 2026/a b+c (1) Ünïcødé 写真 😀.jpg');
    expect(run.status).toBe('SUCCEEDED');
    expect(
      s3.keys(PHYSICAL_NAMES.ProcessedBucket, `images/${execution.input.imageId}/${execution.input.revision}/`).length,
    ).toBeGreaterThanOrEqual(2);
    expect(await imageItem(execution.input.imageId)).toMatchObject({
      status: 'SUCCEEDED',
      source: { bucket: execution.input.source.bucket, key: execution.input.source.key },
    });
    expect(validEventTypes(run, execution.input)).toEqual([DETAIL_TYPES.processed]);
    expect(JSON.stringify(run.events)).not.toContain(UPLOADER);
  });

  it('resizes, analyses, stores and publishes Image Processed for a JPEG', async () => {
    // Prepare
    const input = upload('jpeg-upload', fixture('tests/fixtures/images/flowers.jpeg'));
    answerRekognition();

    // Act
    const startedAt = Date.now();
    const run = await runPipeline(input, { handlers });
    const wallMs = Date.now() - startedAt;

    // Assess
    expect(run.error).toBeNull();
    expect(run.status).toBe('SUCCEEDED');
    expect(run.statesEntered).toEqual([
      'ResolveVersion',
      'ResizeImage',
      'CheckAnalysable',
      'AnalyseImage',
      'StoreMetadata',
      'CheckEvents',
      'PublishProcessed',
    ]);
    const { resize, analysis, stored } = run.output;
    expect(resize.variants.length).toBeGreaterThanOrEqual(2);
    for (const variant of resize.variants) {
      expect(s3.keys(PHYSICAL_NAMES.ProcessedBucket)).toContain(variant.key);
    }
    const [labelsRequest] = rekognition.commandCalls(DetectLabelsCommand).map((call) => call.args[0].input);
    const analysed = labelsRequest.Image!.S3Object!;
    expect(s3.keys(analysed.Bucket!)).toContain(analysed.Name);
    expect(analysisSummarySchema.parse(analysis.summary)).toEqual(analysis.summary);
    expect(sectionItems(analysis.summary, 'labels').map((label) => label.name)).toEqual(['Flower', 'Plant', 'Petal']);
    // Defaults: colours and quality come from ResizeImage through the state, and no moderation for a flower photo.
    expect(labelsRequest.Features).toEqual(['GENERAL_LABELS']);
    expect(rekognition.commandCalls(DetectModerationLabelsCommand)).toHaveLength(0);
    expect(analysis.summary.calls).toEqual(['DetectLabels']);
    expect(resize.imageProperties.DominantColors.length).toBeGreaterThan(0);
    expect(analysis.summary.sections.imageProperties).toMatchObject({
      detector: 'ResizeImage',
      facts: { brightness: Math.round(resize.imageProperties.Quality.Brightness * 10) / 10 },
    });
    expect(sectionItems(analysis.summary, 'imageProperties').map((item) => item.attributes?.hex)).toEqual(
      resize.imageProperties.DominantColors.map((color: { HexCode: string }) => color.HexCode),
    );
    for (const rawKey of Object.values(analysis.summary.rawKeys)) {
      expect(s3.keys(PHYSICAL_NAMES.ProcessedBucket)).toContain(rawKey);
    }
    expect(stored).toMatchObject({ imageId: input.imageId, status: 'SUCCEEDED', written: true });
    expect(await imageItem(input.imageId)).toMatchObject({ status: 'SUCCEEDED', revision: input.revision });
    expect(await imagesWithLabel('flower')).toContain(input.imageId);
    expect(validEventTypes(run, input)).toEqual([DETAIL_TYPES.processed]);
    expect(run.events[0]).toMatchObject({
      source: 'smart-image-pipeline',
      detail: {
        imageId: input.imageId,
        revision: input.revision,
        owner: 'unowned',
        status: 'SUCCEEDED',
        analysed: true,
        moderated: false,
        labels: [{ name: 'Flower' }, { name: 'Plant' }, { name: 'Petal' }],
        variants: resize.variants.map(({ key, format, width, height }: any) => ({ key, format, width, height })),
      },
    });
    expect(run.kept).toEqual([]);
    // Each Lambda step timed itself; the event, and the analytics fact made from it, carry those times and the version.
    const { stepDurations } = run.events[0].detail;
    expect(stepDurations).toEqual({
      resolveVersionMs: run.output.resolvedVersion.durationMs,
      resizeMs: resize.durationMs,
      analyseMs: analysis.durationMs,
      // An image has no video steps.
      transcodeMs: null,
      videoAnalysisMs: null,
      storeMs: expect.any(Number),
    });
    const { transcodeMs: _transcode, videoAnalysisMs: _analysis, ...imageSteps } = stepDurations;
    const times = Object.values(imageSteps) as number[];
    expect(times.every((ms) => Number.isInteger(ms) && ms >= 0)).toBe(true);
    expect(times.reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(wallMs);
    expect(factFromEvent(pipelineEventSchema.parse(run.events[0]))).toMatchObject({
      factType: 'processed',
      pipelineVersion: run.output.resolvedVersion.name,
      ...stepDurations,
    });
  });

  it('publishes Image Flagged beside Image Processed, in one PutEvents call, when moderation labels are found', async () => {
    // Prepare
    // Moderation runs on every image here: in the default `auto` mode these flower labels would not call it. Quarantine
    // is off, so the labels are announced but the image is served (moderation-review.test.ts runs the quarantine).
    useConfig({ reuseNearDuplicates: false, detectModeration: 'always', quarantineMinConfidence: 101 });
    const input = upload('jpeg-upload', fixture('tests/fixtures/images/flowers.jpeg'));
    answerRekognition(0, 'detect-moderation-labels-suggestive');

    // Act
    const run = await runPipeline(input, { handlers });

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(run.putEventsCalls).toEqual(['PublishProcessedAndFlagged']);
    expect(validEventTypes(run, input)).toEqual([DETAIL_TYPES.processed, DETAIL_TYPES.flagged]);
    expect(run.events[1].detail.moderationLabels).toEqual([
      { name: 'Suggestive', confidence: 88.4, parentName: '' },
      { name: 'Revealing Clothes', confidence: 81.2, parentName: 'Suggestive' },
    ]);
    expect(run.events[0].detail.moderated).toBe(true);
  });

  it('reuses the analysis of a near-duplicate analysed with the same settings, and analyses again when they differ', async () => {
    // Prepare
    useConfig({});
    answerRekognition();
    // Not flowers.jpeg: its hash (0f0f0f0f0f0f0f0f, a bright centre) is too plain to reuse on.
    const photo = fixture('tests/fixtures/images/background.jpg');
    const original = upload('gif-unversioned', photo, {}, 'uploads/reuse/original.jpg');
    const smaller = await sharp(photo).resize(800).jpeg({ quality: 70 }).toBuffer();
    const copy = upload('gif-unversioned', smaller, {}, 'uploads/reuse/copy.jpg');

    // Act
    const first = await runPipeline(original, { handlers });
    const callsAfterFirst = callsOf(DetectLabelsCommand);
    const second = await runPipeline(copy, { handlers });
    const callsAfterSecond = callsOf(DetectLabelsCommand);
    useConfig({ minLabelConfidence: 65 });
    const third = await runPipeline(upload('gif-unversioned', smaller, {}, 'uploads/reuse/copy-other-settings.jpg'), { handlers });

    // Assess
    expect([first.status, second.status, third.status]).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(first.output.analysis.summary.reusedFrom).toBeUndefined();
    expect(callsAfterFirst).toBe(1);
    expect(callsAfterSecond).toBe(1);
    expect(second.output.analysis.summary).toMatchObject({
      calls: [],
      reusedFrom: { imageId: original.imageId, revision: original.revision },
    });
    expect(second.output.analysis.summary.sections.labels).toEqual(first.output.analysis.summary.sections.labels);
    expect((await imageItem(copy.imageId))?.analysis.reusedFrom.imageId).toBe(original.imageId);
    expect(await imagesWithLabel('flower')).toEqual(expect.arrayContaining([original.imageId, copy.imageId]));
    expect(callsOf(DetectLabelsCommand)).toBe(2);
    expect(third.output.analysis.summary.reusedFrom).toBeUndefined();
  });

  it('groups the faces of two photos of one owner into one person when groupFacesIntoPeople is on', async () => {
    // Prepare: DetectFaces finds a face; the collection indexes one face per photo and SearchFaces finds the earlier ones.
    useConfig({ reuseNearDuplicates: false, detectFaces: 'always', groupFacesIntoPeople: true });
    answerRekognition();
    rekognition.on(DetectFacesCommand).resolves(loadJson('functions/rekognition-labels/tests/fixtures/detect-faces.json'));
    const indexed = answerFaceCollection();
    const first = upload('jpeg-upload', fixture('tests/fixtures/images/ai-face.jpg'), {}, 'uploads/people/one.jpg');
    const second = upload('jpeg-upload', fixture('tests/fixtures/images/ai-face.jpg'), {}, 'uploads/people/two.jpg');

    // Act
    const runs = [await runPipeline(first, { handlers }), await runPipeline(second, { handlers })];
    const people = await Promise.all(
      [first, second].map(async (input) => sectionItems((await imageItem(input.imageId))?.analysis, 'people')),
    );
    const { Items: faceItems = [] } = await table.send(
      new QueryCommand({
        TableName: PHYSICAL_NAMES.ImagesTable,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :face)',
        ExpressionAttributeValues: { ':pk': `IMAGE#${second.imageId}`, ':face': 'FACE#' },
      }),
    );

    // Assess
    expect(runs.map((run) => run.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(rekognition.commandCalls(IndexFacesCommand).map((call) => call.args[0].input)).toEqual([
      expect.objectContaining({ CollectionId: PHYSICAL_NAMES.FaceCollection, ExternalImageId: first.imageId }),
      expect.objectContaining({ CollectionId: PHYSICAL_NAMES.FaceCollection, ExternalImageId: second.imageId }),
    ]);
    expect(runs[1].output.analysis.summary.calls).toContain('IndexFaces');
    expect(people[0][0].attributes?.personId).toBe(indexed[0].FaceId);
    expect(people[1][0].attributes?.personId).toBe(indexed[0].FaceId);
    expect(faceItems).toEqual([
      expect.objectContaining({ SK: `FACE#${indexed[1].FaceId}`, personId: indexed[0].FaceId, GSI2PK: expect.stringMatching(/#FACES$/) }),
    ]);
  });

  it('groups two photos of one person analysed at the same moment into one person, however slow one run is', async () => {
    // Prepare: two runs at once; the first IndexFaces call adds its face to the collection at once but answers after
    // 4 s. The owner's people lock (a conditional put in the local table) makes the runs decide one after the other.
    // (The interleaving that split people before the lock, a record write delayed past 3 s, is reproduced in
    // functions/rekognition-labels/tests/unit/group-faces.test.ts, where the store can be slowed down.)
    useConfig({ reuseNearDuplicates: false, detectFaces: 'always', groupFacesIntoPeople: true });
    answerRekognition();
    rekognition.on(DetectFacesCommand).resolves(loadJson('functions/rekognition-labels/tests/fixtures/detect-faces.json'));
    const indexed = answerFaceCollection({ firstAnswerAfterMs: 4000 });
    const first = upload('jpeg-upload', fixture('tests/fixtures/images/ai-face.jpg'), {}, 'uploads/people/same-1.jpg');
    const second = upload('jpeg-upload', fixture('tests/fixtures/images/ai-face.jpg'), {}, 'uploads/people/same-2.jpg');

    // Act
    const runs = await Promise.all([runPipeline(first, { handlers }), runPipeline(second, { handlers })]);
    const people = await Promise.all(
      [first, second].map(async (input) => sectionItems((await imageItem(input.imageId))?.analysis, 'people')),
    );

    // Assess
    expect(runs.map((run) => run.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(indexed).toHaveLength(2);
    expect(people[0][0].attributes?.personId).toBeDefined();
    expect(people[1][0].attributes?.personId).toBe(people[0][0].attributes?.personId);
  });

  it("repeats no Detect call when AnalyseImage is retried because the owner's people lock stayed busy", async () => {
    // Prepare: another holder keeps the owner's people lock past the 30 s a run waits, so the first attempt gives up
    // with PeopleLockBusyError and the state machine retries it; the retry takes the lock once its lease has lapsed.
    // The holder's lease and the wait are read on the test's clock (Date.now), moved by what the run does, not by real
    // time: the first refused lock request moves it 30 s (the wait then ends), the first attempt's failure moves it past
    // the lease (the lock lapses), so the retry happens however fast or slow the machine is.
    useConfig({ reuseNearDuplicates: false, detectFaces: 'always', groupFacesIntoPeople: true });
    answerRekognition();
    rekognition.on(DetectFacesCommand).resolves(loadJson('functions/rekognition-labels/tests/fixtures/detect-faces.json'));
    const indexed = answerFaceCollection();
    const input = upload('jpeg-upload', fixture('tests/fixtures/images/ai-face.jpg'), {}, 'uploads/people/busy.jpg');
    const leaseUntil = Date.now() + 10 * 60_000;
    await table.send(
      new PutCommand({
        TableName: PHYSICAL_NAMES.ImagesTable,
        Item: { PK: `PEOPLE#${input.owner}`, SK: 'LOCK', type: 'PEOPLE_LOCK', holder: 'another-run', leaseUntil },
      }),
    );
    const refusals = refuseLockUntilWaitEnds();
    let busyFailures = 0;
    const analyse = handlers.RekognitionLabelsFunction;
    const lapseLeaseAfterBusy: Handler = async (event) => {
      try {
        return await analyse(event);
      } catch (error) {
        if ((error as Error).name === 'PeopleLockBusyError' && (busyFailures += 1) === 1) clockOffsetMs += leaseUntil - Date.now() + 1;
        throw error;
      }
    };
    const detectCalls = () =>
      [DetectLabelsCommand, DetectModerationLabelsCommand, DetectFacesCommand, DetectTextCommand].map(
        (command) => rekognition.commandCalls(command as never).length,
      );
    const before = detectCalls();

    // Act
    const run = await runPipeline(input, { handlers: { ...handlers, RekognitionLabelsFunction: lapseLeaseAfterBusy } }).finally(
      refusals.restore,
    );
    const item = await imageItem(input.imageId);
    const checkpoint = await table.send(
      new QueryCommand({
        TableName: PHYSICAL_NAMES.ImagesTable,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
        ExpressionAttributeValues: { ':pk': `IMAGE#${input.imageId}`, ':sk': 'DETECTIONS#' },
      }),
    );

    // Assess: AnalyseImage failed once on the busy lock and ran again, every Detect call was made once, and the people
    // step ran once to completion, after the holder's lease.
    expect(run.status).toBe('SUCCEEDED');
    expect(busyFailures).toBe(1);
    expect(run.retriedStates).toContain('AnalyseImage');
    expect(Date.now()).toBeGreaterThan(leaseUntil);
    const made = detectCalls().map((count, index) => count - before[index]);
    expect(made.every((count) => count <= 1)).toBe(true);
    expect(made.reduce((sum, count) => sum + count, 0)).toBe(
      item?.analysis.calls.filter((call: string) => call.startsWith('Detect')).length,
    );
    expect(indexed).toHaveLength(1);
    expect(sectionItems(item?.analysis, 'people')).toHaveLength(1);
    expect(checkpoint.Items).toEqual([]);
  }, 120_000);

  it('records an unsupported file, publishes Image Failed, then fails with the resize error', async () => {
    // Prepare
    const input = upload('unsupported-pdf', Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n'));
    answerRekognition();

    // Act
    const run = await runPipeline(input, { handlers });

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.error?.name).toBe('UnsupportedImageTypeError');
    expect(run.statesEntered).toEqual(['ResolveVersion', 'ResizeImage', 'RecordFailure', 'CheckFailureEvent', 'PublishFailed', 'Fail']);
    expect(run.retriedStates).toEqual([]);
    expect(callsOf(DetectLabelsCommand)).toBe(0);
    expect(await imageItem(input.imageId)).toMatchObject({ status: 'FAILED', error: { name: 'UnsupportedImageTypeError' } });
    expect(await imagesWithLabel('flower')).not.toContain(input.imageId);
    expect(validEventTypes(run, input)).toEqual([DETAIL_TYPES.failed]);
    expect(run.events[0].detail).toEqual({
      schemaVersion: 1,
      imageId: input.imageId,
      revision: input.revision,
      owner: 'unowned',
      receivedAt: input.receivedAt,
      pipelineVersion: expect.stringMatching(/^v[0-9]+$/),
      status: 'FAILED',
      error: { name: 'UnsupportedImageTypeError' },
      // ResolveVersion finished; ResizeImage failed, so it and the steps after it have no time.
      stepDurations: {
        resolveVersionMs: expect.any(Number),
        resizeMs: null,
        analyseMs: null,
        transcodeMs: null,
        videoAnalysisMs: null,
        storeMs: null,
      },
    });
    expect(factFromEvent(pipelineEventSchema.parse(run.events[0]))).toMatchObject({
      factType: 'failed',
      failureReason: 'UnsupportedImageTypeError',
      pipelineVersion: run.events[0].detail.pipelineVersion,
      resolveVersionMs: run.events[0].detail.stepDurations.resolveVersionMs,
      resizeMs: null,
    });
  });

  it('runs the version the input names, else the current one, and records it on the item and its event', async () => {
    // Prepare
    const defaults = JSON.parse(String(template.Parameters.PipelineConfig.Default));
    const base = { ...defaults, reuseNearDuplicates: false };
    useRawConfig({ current: 'v902', versions: { v901: base, v902: { ...base, minLabelConfidence: 75, variantWidths: [256] } } });
    answerRekognition();
    const older = { ...upload('jpeg-upload', fixture('tests/fixtures/images/flowers.jpeg')), pipelineVersion: 'v901' };
    const current = upload('jpeg-upload', fixture('tests/fixtures/images/flowers.jpeg'));

    // Act
    const olderRun = await runPipeline(older, { handlers });
    const currentRun = await runPipeline(current, { handlers });

    // Assess
    expect([olderRun.status, currentRun.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(await imageItem(older.imageId)).toMatchObject({ status: 'SUCCEEDED', pipelineVersion: 'v901' });
    expect(await imageItem(current.imageId)).toMatchObject({ status: 'SUCCEEDED', pipelineVersion: 'v902' });
    expect(olderRun.output.resize.variants.length).toBeGreaterThan(currentRun.output.resize.variants.length);
    expect(
      new Set(
        currentRun.output.resize.variants.map((variant: { width: number; height: number }) => Math.max(variant.width, variant.height)),
      ),
    ).toEqual(new Set([256]));
    expect(olderRun.events[0].detail.pipelineVersion).toBe('v901');
    expect(currentRun.events[0].detail.pipelineVersion).toBe('v902');
    const pinned = await table.send(new GetCommand({ TableName: PHYSICAL_NAMES.ImagesTable, Key: { PK: 'VERSION#v902', SK: 'VERSION' } }));
    expect(pinned.Item).toMatchObject({ name: 'v902', fingerprint: currentRun.output.resolvedVersion.fingerprint });
  });

  it('fails a run of an unknown or changed version and leaves the stored success as it was', async () => {
    // Prepare
    const defaults = JSON.parse(String(template.Parameters.PipelineConfig.Default));
    const base = { ...defaults, reuseNearDuplicates: false };
    useRawConfig({ current: 'v911', versions: { v911: base } });
    answerRekognition();
    const input = upload('jpeg-upload', fixture('tests/fixtures/images/flowers.jpeg'));
    await runPipeline(input, { handlers });
    const before = await imageItem(input.imageId);

    // Act
    const unknown = await runPipeline({ ...input, pipelineVersion: 'v999' }, { handlers });
    useRawConfig({ current: 'v911', versions: { v911: { ...base, maxLabels: 3 } } });
    const changed = await runPipeline(input, { handlers });

    // Assess
    expect(unknown.status).toBe('FAILED');
    expect(unknown.error?.name).toBe('UnknownPipelineVersionError');
    expect(unknown.statesEntered.slice(0, 3)).toEqual(['ResolveVersion', 'MarkUnresolvedVersion', 'RecordFailure']);
    expect(changed.error?.name).toBe('PipelineVersionChangedError');
    expect(changed.error?.cause).toContain('add a new version');
    expect(callsOf(DetectLabelsCommand)).toBe(1);
    expect(await imageItem(input.imageId)).toEqual(before);
  });

  it('records a failure before any version resolved under the version the input asked for, else as unresolved', async () => {
    // Prepare: the config holds v941 only; one run asks for v998, the other for nothing while the config is broken.
    const defaults = JSON.parse(String(template.Parameters.PipelineConfig.Default));
    useRawConfig({ current: 'v941', versions: { v941: { ...defaults, reuseNearDuplicates: false } } });
    answerRekognition();
    const asked = { ...upload('jpeg-upload', fixture('tests/fixtures/images/flowers.jpeg')), pipelineVersion: 'v998' };
    const unasked = upload('jpeg-upload', fixture('tests/fixtures/images/flowers.jpeg'));

    // Act
    const askedRun = await runPipeline(asked, { handlers });
    useRawConfig({ current: 'v942', versions: { v941: {} } });
    const unaskedRun = await runPipeline(unasked, { handlers });

    // Assess
    expect([askedRun.error?.name, unaskedRun.error?.name]).toEqual(['UnknownPipelineVersionError', 'InvalidConfigError']);
    expect(await imageItem(asked.imageId)).toMatchObject({ status: 'FAILED', pipelineVersion: 'v998' });
    expect(await imageItem(unasked.imageId)).toMatchObject({ status: 'FAILED', pipelineVersion: 'unresolved' });
    expect(validEventTypes(askedRun, asked)).toEqual([DETAIL_TYPES.failed]);
    expect(askedRun.events[0].detail.pipelineVersion).toBe('v998');
    expect(validEventTypes(unaskedRun, unasked)).toEqual([DETAIL_TYPES.failed]);
    expect(unaskedRun.events[0].detail).not.toHaveProperty('pipelineVersion');
  });

  it('reuses the stored resize result a reprocess run brings without reading the source, and analyses again', async () => {
    // Prepare
    const input = upload('jpeg-upload', fixture('tests/fixtures/images/flowers.jpeg'));
    answerRekognition();
    const first = await runPipeline(input, { handlers });
    const stored = await imageItem(input.imageId);
    const { analysable, image, exif, placeholder, perceptualHash, variants, analysisImage, imageProperties } = stored!;
    const resize = { mediaType: 'image', analysable, image, exif, placeholder, perceptualHash, variants, analysisImage, imageProperties };
    const readsBefore = sourceReads(input.source.key);

    // Act
    const again = await runPipeline({ ...input, resize }, { handlers });

    // Assess
    expect(again.status).toBe('SUCCEEDED');
    expect(again.statesEntered.slice(0, 4)).toEqual(['ResolveVersion', 'ResizeImage', 'CheckAnalysable', 'AnalyseImage']);
    expect(sourceReads(input.source.key)).toBe(readsBefore);
    // The same result; only the step's own time differs (returning the stored result is quick).
    expect({ ...again.output.resize, durationMs: 0 }).toEqual({ ...first.output.resize, durationMs: 0 });
    expect(callsOf(DetectLabelsCommand)).toBe(2);
    expect(again.output.analysis.summary.sections.imageProperties).toEqual(first.output.analysis.summary.sections.imageProperties);
    expect((await imageItem(input.imageId))?.variants).toEqual(first.output.resize.variants);
  });

  it('resizes again when the stored resize result lacks a variant the version writes', async () => {
    // Prepare
    const input = upload('jpeg-upload', fixture('tests/fixtures/images/flowers.jpeg'));
    answerRekognition();
    const first = await runPipeline(input, { handlers });
    const resize = { ...first.output.resize, variants: first.output.resize.variants.slice(1) };
    const readsBefore = sourceReads(input.source.key);

    // Act
    const again = await runPipeline({ ...input, resize }, { handlers });

    // Assess
    expect(again.status).toBe('SUCCEEDED');
    expect(again.output.resolvedVersion.storedResize).toBeNull();
    expect(sourceReads(input.source.key)).toBeGreaterThan(readsBefore);
    expect(again.output.resize.variants).toEqual(first.output.resize.variants);
  });

  it('reuses the stored analysis of a reprocess run whose version analyses with the same settings, without calling Rekognition', async () => {
    // Prepare: v921 and v922 analyse alike (v922 only writes other variants); the reprocessor refers to the stored analysis.
    // Moderation runs on every image and finds labels, quarantine off (moderation-review.test.ts runs the quarantine).
    const defaults = JSON.parse(String(template.Parameters.PipelineConfig.Default));
    const base = { ...defaults, reuseNearDuplicates: false, detectModeration: 'always', quarantineMinConfidence: 101 };
    useRawConfig({ current: 'v921', versions: { v921: base, v922: { ...base, variantWidths: [256] } } });
    answerRekognition(0, 'detect-moderation-labels-suggestive');
    const input = upload('jpeg-upload', fixture('tests/fixtures/images/flowers.jpeg'));
    const first = await runPipeline(input, { handlers });
    const stored = await imageItem(input.imageId);
    const labelCallsBefore = callsOf(DetectLabelsCommand);
    const moderationCallsBefore = callsOf(DetectModerationLabelsCommand);

    // Act
    const again = await runPipeline({ ...input, pipelineVersion: 'v922', storedAnalysis: storedAnalysisRef(stored) }, { handlers });

    // Assess
    expect([first.status, again.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(again.statesEntered).toEqual(first.statesEntered);
    expect(again.output.resolvedVersion.storedAnalysis).toEqual({
      pipelineVersion: 'v921',
      fingerprint: stored?.analysis.settingsFingerprint,
    });
    expect([callsOf(DetectLabelsCommand), callsOf(DetectModerationLabelsCommand)]).toEqual([labelCallsBefore, moderationCallsBefore]);
    expect(again.output.analysis.summary).toMatchObject({
      calls: [],
      reusedFromVersion: 'v921',
      rawKeys: first.output.analysis.summary.rawKeys,
    });
    expect(again.output.analysis.summary.sections).toEqual(stored?.analysis.sections);
    const item = await imageItem(input.imageId);
    expect(item).toMatchObject({ status: 'SUCCEEDED', pipelineVersion: 'v922', moderated: true, analysis: { reusedFromVersion: 'v921' } });
    expect(await imagesWithLabel('flower')).toContain(input.imageId);
    expect(validEventTypes(again, input)).toEqual([DETAIL_TYPES.processed, DETAIL_TYPES.flagged]);
  });

  it('analyses again when the target version changes an analysis threshold, and when the stored analysis is of another revision', async () => {
    // Prepare
    const defaults = JSON.parse(String(template.Parameters.PipelineConfig.Default));
    const base = { ...defaults, reuseNearDuplicates: false };
    useRawConfig({ current: 'v951', versions: { v951: base, v952: { ...base, minModerationConfidence: 75 }, v953: base } });
    answerRekognition();
    const input = upload('jpeg-upload', fixture('tests/fixtures/images/flowers.jpeg'));
    await runPipeline(input, { handlers });
    const ref = storedAnalysisRef(await imageItem(input.imageId));
    const labelCallsBefore = callsOf(DetectLabelsCommand);

    // Act
    const otherThreshold = await runPipeline({ ...input, pipelineVersion: 'v952', storedAnalysis: ref }, { handlers });
    const newerUpload = upload('jpeg-upload', fixture('tests/fixtures/images/flowers.jpeg'));
    const otherRevision = await runPipeline(
      { ...input, revision: newerUpload.revision, source: newerUpload.source, pipelineVersion: 'v953', storedAnalysis: ref },
      { handlers },
    );

    // Assess
    expect([otherThreshold.status, otherRevision.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(otherThreshold.output.resolvedVersion.storedAnalysis).toBeNull();
    expect(otherRevision.output.resolvedVersion.storedAnalysis).toEqual(ref);
    expect(callsOf(DetectLabelsCommand)).toBe(labelCallsBefore + 2);
    for (const run of [otherThreshold, otherRevision]) {
      expect(run.output.analysis.summary.reusedFromVersion).toBeUndefined();
      expect(run.output.analysis.summary.calls).toContain('DetectLabels');
    }
    expect((await imageItem(input.imageId))?.analysis.reusedFromVersion).toBeUndefined();
  });

  it('retries a throttled DetectLabels and succeeds on the next attempt', async () => {
    // Prepare
    const input = upload('jpeg-upload', fixture('tests/fixtures/images/flowers.jpeg'));
    answerRekognition(1);

    // Act
    const run = await runPipeline(input, { handlers });

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(run.retriedStates).toEqual(['AnalyseImage']);
    expect(callsOf(DetectLabelsCommand)).toBe(2);
    expect(sectionItems(run.output.analysis.summary, 'labels')).toHaveLength(3);
    expect(await imageItem(input.imageId)).toMatchObject({ status: 'SUCCEEDED' });
    expect(validEventTypes(run, input)).toEqual([DETAIL_TYPES.processed]);
  });

  it('records the failure when DetectLabels stays throttled through every retry', async () => {
    // Prepare
    const input = upload('jpeg-upload', fixture('tests/fixtures/images/flowers.jpeg'));
    answerRekognition(Infinity);
    const analyseRetriers = JSON.parse(fixture('statemachine/image-pipeline.asl.json').toString('utf8')).States.AnalyseImage.Retry;
    const throttleRetrier = analyseRetriers.find((retrier: { ErrorEquals: string[] }) =>
      retrier.ErrorEquals.includes('ThrottlingException'),
    );

    // Act
    const run = await runPipeline(input, { handlers });

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.error?.name).toBe('ThrottlingException');
    expect(run.retriedStates).toEqual(Array(throttleRetrier.MaxAttempts).fill('AnalyseImage'));
    expect(callsOf(DetectLabelsCommand)).toBe(throttleRetrier.MaxAttempts + 1);
    expect(run.statesEntered.slice(-4)).toEqual(['RecordFailure', 'CheckFailureEvent', 'PublishFailed', 'Fail']);
    expect(await imageItem(input.imageId)).toMatchObject({ status: 'FAILED', error: { name: 'ThrottlingException' } });
    expect(validEventTypes(run, input)).toEqual([DETAIL_TYPES.failed]);
    expect(run.events[0].detail.error).toEqual({ name: 'ThrottlingException' });
  });

  it('stores and announces an image too small for Rekognition without analysing it', async () => {
    // Prepare
    const tiny = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#3366cc' } })
      .png()
      .toBuffer();
    const input = upload('png-with-recipient', tiny, { 'notify-email': UPLOADER });
    answerRekognition();

    // Act
    const run = await runPipeline(input, { handlers });

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output.resize.analysable).toBe(false);
    expect(run.output.analysis).toBeUndefined();
    expect(run.statesEntered).not.toContain('AnalyseImage');
    expect(callsOf(DetectLabelsCommand) + callsOf(DetectModerationLabelsCommand)).toBe(0);
    expect(await imageItem(input.imageId)).toMatchObject({ status: 'SUCCEEDED' });
    expect(validEventTypes(run, input)).toEqual([DETAIL_TYPES.processed]);
    expect(run.events[0].detail).toMatchObject({ analysed: false, labels: [], faceCount: 0, moderated: false });
  });

  it('keeps a stored image SUCCEEDED when PutEvents fails through every retry, and parks the events for replay (issue 12, finding 2)', async () => {
    // Prepare
    const input = upload('jpeg-upload', fixture('tests/fixtures/images/flowers.jpeg'));
    answerRekognition();
    const retrier = JSON.parse(fixture('statemachine/image-pipeline.asl.json').toString('utf8')).States.PublishProcessed.Retry[0];

    // Act
    const run = await runPipeline(input, { handlers, eventBus: { failWith: 'EventBridge.FailedEntry' } });

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(run.statesEntered).not.toContain('RecordFailure');
    expect(run.statesEntered.slice(-3)).toEqual(['PublishProcessed', 'KeepUnpublishedEvents', 'Succeed']);
    expect(run.putEventsCalls).toHaveLength(retrier.MaxAttempts + 1);
    expect(await imageItem(input.imageId)).toMatchObject({ status: 'SUCCEEDED', revision: input.revision });
    expect(run.kept).toEqual([
      {
        queueUrl: UNPUBLISHED_EVENTS_QUEUE_URL,
        body: {
          executionArn: run.executionArn,
          events: run.output.stored.events,
          error: expect.objectContaining({ Error: 'EventBridge.FailedEntry' }),
        },
      },
    ]);
  });

  it('still succeeds when neither the bus nor the unpublished-events queue takes the events', async () => {
    // Prepare
    const input = upload('jpeg-upload', fixture('tests/fixtures/images/flowers.jpeg'));
    answerRekognition();

    // Act
    const run = await runPipeline(input, {
      handlers,
      eventBus: { failWith: 'AccessDeniedException' },
      queueFailsWith: 'SQS.QueueDoesNotExist',
    });

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(run.statesEntered.slice(-3)).toEqual(['PublishProcessed', 'KeepUnpublishedEvents', 'Succeed']);
    expect(await imageItem(input.imageId)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('ends a failed image in Fail with its own error when Image Failed cannot be published either', async () => {
    // Prepare
    const input = upload('unsupported-pdf', Buffer.from('%PDF-1.7\n%%EOF\n'));
    answerRekognition();

    // Act
    const run = await runPipeline(input, { handlers, eventBus: { failWith: 'EventBridge.InternalException' } });

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.error?.name).toBe('UnsupportedImageTypeError');
    expect(run.statesEntered.slice(-3)).toEqual(['PublishFailed', 'KeepUnpublishedFailureEvent', 'Fail']);
    expect(run.kept[0].body.events.failed).toMatchObject({ imageId: input.imageId, error: { name: 'UnsupportedImageTypeError' } });
  });

  it('publishes nothing for a revision that a newer one already replaced', async () => {
    // Prepare
    const input = upload('jpeg-upload', fixture('tests/fixtures/images/flowers.jpeg'));
    answerRekognition();
    const newer = { ...input, revision: `${input.revision.slice(0, -4)}ffff`, source: { ...input.source, sourceOrder: 'F'.repeat(32) } };
    await runPipeline(newer, { handlers });

    // Act
    const run = await runPipeline(input, { handlers });

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output.stored).toMatchObject({ written: false, events: {} });
    expect(run.statesEntered.slice(-2)).toEqual(['CheckEvents', 'Succeed']);
    expect(run.events).toEqual([]);
  });

  it('rides out ten Lambda throttles in a row on ResizeImage and finishes the run', async () => {
    // Prepare
    const input = upload('jpeg-upload', fixture('tests/fixtures/images/flowers.jpeg'));
    answerRekognition();
    const resize = throttledFor(10, handlers.ResizeImageFunction);

    // Act
    const run = await runPipeline(input, { handlers: { ...handlers, ResizeImageFunction: resize } });

    // Assess
    expect(resize.refused()).toBe(10);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.retriedStates.filter((state) => state === 'ResizeImage')).toHaveLength(10);
    expect(await imageItem(input.imageId)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('records the failure even when RecordFailure itself is throttled twenty times', async () => {
    // Prepare
    const input = upload('unsupported-pdf', Buffer.from('%PDF-1.7\n%%EOF\n'));
    answerRekognition();
    const store = throttledFor(20, handlers.StoreMetadataFunction, (event) => event?.action === 'recordFailure');

    // Act
    const run = await runPipeline(input, { handlers: { ...handlers, StoreMetadataFunction: store } });

    // Assess
    expect(store.refused()).toBe(20);
    expect(run.status).toBe('FAILED');
    expect(run.error?.name).toBe('UnsupportedImageTypeError');
    expect(run.retriedStates.filter((state) => state === 'RecordFailure')).toHaveLength(20);
    expect(await imageItem(input.imageId)).toMatchObject({ status: 'FAILED', error: { name: 'UnsupportedImageTypeError' } });
  });
});

/**
 * MediaConvert for the runner: the CreateJob settings the ASL passes are planned and transcoded by the local
 * MediaConvert's ffmpeg transcoder straight into the fake S3, and the Task answers GetJob's final `{ Job }`.
 */
async function transcodeIntoFakeS3(parameters: any): Promise<any> {
  const storage = {
    getObjectBytes: async (bucket: string, key: string) => s3.objects.get(`${bucket}/${key}`)!.body,
    putObject: async (bucket: string, key: string, body: Buffer, options?: { contentType?: string }) =>
      s3.objects.set(`${bucket}/${key}`, { body, contentType: options?.contentType, metadata: {} }),
  };
  // Timing as MediaConvert's API gives it: epoch seconds.
  const SubmitTime = Date.now() / 1000;
  await runTranscode(planJob(parameters.Settings), storage);
  const Timing = { SubmitTime, StartTime: SubmitTime, FinishTime: Date.now() / 1000 };
  return { Job: { Id: `job-${Date.now()}`, Status: 'COMPLETE', Role: parameters.Role, UserMetadata: parameters.UserMetadata, Timing } };
}

/**
 * Rekognition Video answers: both jobs start, the first poll finds them IN_PROGRESS, the next SUCCEEDED with a dog
 * seen from 2 s to 6 s (SEGMENTS) and one moderation segment; `failModeration` ends the moderation job FAILED;
 * `benchAt70` adds a Bench seen at 70 % confidence (kept or dropped by the version's label threshold).
 */
function answerRekognitionVideo(options: { failModeration?: boolean; benchAt70?: boolean } = {}): void {
  const polls = { labels: 0, moderation: 0 };
  const head = {
    VideoMetadata: { Codec: 'h264', DurationMillis: 8000, Format: 'QuickTime / MOV', FrameRate: 25, FrameWidth: 640, FrameHeight: 360 },
  };
  rekognition.on(StartLabelDetectionCommand).resolves({ JobId: 'labels-job-1' });
  rekognition.on(StartContentModerationCommand).resolves({ JobId: 'moderation-job-1' });
  rekognition.on(GetLabelDetectionCommand).callsFake(async (request) => {
    if (request.MaxResults === 1) polls.labels += 1;
    if (polls.labels < 2) return { ...head, JobStatus: 'IN_PROGRESS', Labels: [] };
    const segment = (Name: string, Confidence: number, start: number, end: number, Parents: string[] = []) => ({
      Timestamp: start,
      StartTimestampMillis: start,
      EndTimestampMillis: end,
      DurationMillis: end - start,
      Label: { Name, Confidence, Instances: [], Parents: Parents.map((parent) => ({ Name: parent })), Aliases: [], Categories: [] },
    });
    return {
      ...head,
      JobStatus: 'SUCCEEDED',
      LabelModelVersion: '3.0',
      Labels: [
        segment('Dog', 96.5, 2000, 6000, ['Animal', 'Pet']),
        segment('Animal', 96.5, 2000, 6000),
        segment('Grass', 88, 0, 8000),
        ...(options.benchAt70 ? [segment('Bench', 70, 0, 2000)] : []),
      ],
    };
  });
  rekognition.on(GetContentModerationCommand).callsFake(async (request) => {
    if (request.MaxResults === 1) polls.moderation += 1;
    if (polls.moderation < 2) return { ...head, JobStatus: 'IN_PROGRESS', ModerationLabels: [] };
    if (options.failModeration) return { ...head, JobStatus: 'FAILED', StatusMessage: 'Unsupported codec' };
    return {
      ...head,
      JobStatus: 'SUCCEEDED',
      ModerationModelVersion: '7.0',
      ModerationLabels: [
        {
          Timestamp: 3000,
          StartTimestampMillis: 3000,
          EndTimestampMillis: 4000,
          DurationMillis: 1000,
          ModerationLabel: { Name: 'Alcoholic Beverages', Confidence: 91, ParentName: 'Alcohol', TaxonomyLevel: 2 },
        },
      ],
    };
  });
}

describe('video branch of the state machine (issue 14)', () => {
  // Clips are made and transcoded by ffmpeg; bounds a hang on a shared machine, times nothing.
  jest.setTimeout(300_000);

  it('probes, transcodes with ffmpeg, composes the sprite, polls Rekognition Video, stores labels over time and announces the video', async () => {
    // Prepare: an 8 s 640x360 H.264 clip with audio, made by ffmpeg now.
    const input = upload(
      'jpeg-upload',
      await clipBytes({ seconds: 8, width: 640, height: 360, audio: true }),
      {},
      'uploads/holiday/dog.mp4',
    );
    answerRekognitionVideo();

    // Act
    const run = await runPipeline(input, { handlers, mediaConvert: transcodeIntoFakeS3 });

    // Assess
    expect(run.error).toBeNull();
    expect(run.status).toBe('SUCCEEDED');
    expect(run.statesEntered).toEqual(
      expect.arrayContaining([
        'ProbeVideo',
        'TranscodeVideo',
        'ComposeVideoThumbnails',
        'StartVideoAnalysis',
        'CollectVideoAnalysis',
        'StoreMetadata',
      ]),
    );
    expect(run.statesEntered).not.toContain('AnalyseImage');
    expect(run.statesEntered).not.toContain('CutAnalysisClip');
    expect(run.statesEntered.filter((state) => state === 'CollectVideoAnalysis')).toHaveLength(2);
    const item = await imageItem(input.imageId);
    expect(item).toMatchObject({ status: 'SUCCEEDED', mediaType: 'video', video: { width: 640, height: 360, container: 'mp4' } });
    const outputs = item!.video.outputs;
    const prefix = `images/${input.imageId}/${input.revision}/video/`;
    for (const output of [outputs.rendition, outputs.poster, outputs.sprite]) expect(output.key.startsWith(prefix)).toBe(true);
    expect(s3.keys(PHYSICAL_NAMES.ProcessedBucket, prefix)).toEqual(
      expect.arrayContaining([outputs.rendition.key, outputs.poster.key, outputs.sprite.key]),
    );
    expect(item!.thumbnailKey).toBe(outputs.poster.key);
    const dog = sectionItems(item!.analysis, 'labels').find((label) => label.name === 'Dog');
    expect(dog?.segments).toEqual([expect.objectContaining({ start: 2, end: 6 })]);
    expect(sectionItems(item!.analysis, 'moderation').map((label) => [label.name, label.segments?.[0]?.start])).toEqual([
      ['Alcoholic Beverages', 3],
    ]);
    // "Videos with a dog": the label index finds it; its label item says when.
    expect(await imagesWithLabel('dog')).toContain(input.imageId);
    const { Item: dogItem } = await table.send(
      new GetCommand({ TableName: PHYSICAL_NAMES.ImagesTable, Key: { PK: `IMAGE#${input.imageId}`, SK: 'LABEL#Dog' } }),
    );
    expect(dogItem).toMatchObject({ mediaType: 'video', segments: [{ start: 2, end: 6 }] });
    // Events: Image Processed (the container as format, the duration) and Image Flagged, both valid against their schemas.
    expect(validEventTypes(run, input).sort()).toEqual([DETAIL_TYPES.flagged, DETAIL_TYPES.processed]);
    const processed = run.events.find((event) => event['detail-type'] === DETAIL_TYPES.processed);
    expect(processed.detail.image).toMatchObject({ format: 'mp4', width: 640, height: 360 });
    expect(processed.detail.video.durationSeconds).toBeCloseTo(8, 0);
  });

  it('times a video run: MediaConvert’s submit-to-finish for the transcode, start-to-done for the analysis, no image analysis', async () => {
    // Prepare
    const input = upload('jpeg-upload', await clipBytes({ seconds: 4, width: 320, height: 240 }), {}, 'uploads/timed/clip.mp4');
    answerRekognitionVideo();

    // Act
    const startedAt = Date.now();
    const run = await runPipeline(input, { handlers, mediaConvert: transcodeIntoFakeS3 });
    const wallMs = Date.now() - startedAt;

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    const { transcoded, videoAnalysis, resolvedVersion, resize } = run.output;
    const transcodeMs = Math.round((transcoded.timing.FinishTime - transcoded.timing.SubmitTime) * 1000);
    const processed = run.events.find((event) => event['detail-type'] === DETAIL_TYPES.processed);
    const { stepDurations } = processed.detail;
    expect(stepDurations).toEqual({
      resolveVersionMs: resolvedVersion.durationMs,
      resizeMs: resize.durationMs,
      analyseMs: null,
      transcodeMs,
      videoAnalysisMs: videoAnalysis.durationMs,
      storeMs: expect.any(Number),
    });
    // ffmpeg took real time; the analysis spanned two polls (the runner's Waits are short, but the clock moved).
    expect(transcodeMs).toBeGreaterThan(0);
    expect(Number.isInteger(videoAnalysis.durationMs) && videoAnalysis.durationMs >= 0).toBe(true);
    const times = Object.values(stepDurations).filter((ms): ms is number => ms !== null);
    expect(times.reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(wallMs);
    expect(factFromEvent(pipelineEventSchema.parse(processed))).toMatchObject({ factType: 'processed', format: 'mp4', ...stepDurations });
  });

  it('keeps the times of the video steps that finished on a failed video run', async () => {
    // Prepare
    const input = upload('jpeg-upload', await clipBytes({ seconds: 4, width: 320, height: 240 }), {}, 'uploads/timed/failing.mp4');
    answerRekognitionVideo({ failModeration: true });

    // Act
    const run = await runPipeline(input, { handlers, mediaConvert: transcodeIntoFakeS3 });

    // Assess
    expect(run.error?.name).toBe('VideoAnalysisFailedError');
    const failed = run.events.find((event) => event['detail-type'] === DETAIL_TYPES.failed);
    expect(failed.detail.stepDurations).toEqual({
      resolveVersionMs: expect.any(Number),
      resizeMs: expect.any(Number),
      analyseMs: null,
      transcodeMs: expect.any(Number),
      videoAnalysisMs: null,
      storeMs: null,
    });
  });

  it("analyses a video with the thresholds of the run's pipeline version, not the config's current one", async () => {
    // Prepare: v931 keeps labels from 55 % and moderation from 45 %; the current v932 from 85 % and 75 %.
    const base = { ...JSON.parse(String(template.Parameters.PipelineConfig.Default)), reuseNearDuplicates: false };
    useRawConfig({
      current: 'v932',
      versions: {
        v931: { ...base, minLabelConfidence: 55, minModerationConfidence: 45 },
        v932: { ...base, minLabelConfidence: 85, minModerationConfidence: 75 },
      },
    });
    const pinned = {
      ...upload('jpeg-upload', await clipBytes({ seconds: 2 }), {}, 'uploads/holiday/pinned.mp4'),
      pipelineVersion: 'v931',
    };
    const current = upload('jpeg-upload', await clipBytes({ seconds: 2 }), {}, 'uploads/holiday/current.mp4');
    answerRekognitionVideo({ benchAt70: true });

    // Act
    // The MinConfidence of the StartLabelDetection and StartContentModeration calls since the last reset.
    const startThresholds = () =>
      [...rekognition.commandCalls(StartLabelDetectionCommand), ...rekognition.commandCalls(StartContentModerationCommand)].map(
        (call) => call.args[0].input.MinConfidence,
      );
    const pinnedRun = await runPipeline(pinned, { handlers, mediaConvert: transcodeIntoFakeS3 });
    const pinnedStarts = startThresholds();
    rekognition.reset();
    answerRekognitionVideo({ benchAt70: true });
    const currentRun = await runPipeline(current, { handlers, mediaConvert: transcodeIntoFakeS3 });
    const currentStarts = startThresholds();
    const labelNames = async (imageId: string) => sectionItems((await imageItem(imageId))!.analysis, 'labels').map((label) => label.name);

    // Assess
    expect([pinnedRun.status, currentRun.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(pinnedStarts).toEqual([55, 45]);
    expect(currentStarts).toEqual([85, 75]);
    expect(await imageItem(pinned.imageId)).toMatchObject({ pipelineVersion: 'v931', mediaType: 'video' });
    expect(await imageItem(current.imageId)).toMatchObject({ pipelineVersion: 'v932', mediaType: 'video' });
    // The collected summary is filtered with the same version's threshold: the 70 % bench passes v931 only.
    expect(await labelNames(pinned.imageId)).toContain('Bench');
    expect(await labelNames(current.imageId)).not.toContain('Bench');
  });

  it('names a failed transcode VideoTranscodeFailedError and records it', async () => {
    // Prepare
    const input = upload('jpeg-upload', await clipBytes({ seconds: 2 }), {}, 'uploads/holiday/clip.mp4');
    const mediaConvert = async () => {
      throw Object.assign(
        new Error(JSON.stringify({ Job: { Status: 'ERROR', ErrorCode: 1010, ErrorMessage: 'Unable to open input file' } })),
        {
          name: 'States.TaskFailed',
        },
      );
    };

    // Act
    const run = await runPipeline(input, { handlers, mediaConvert });

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.error?.name).toBe('VideoTranscodeFailedError');
    expect(run.statesEntered).toEqual(expect.arrayContaining(['TranscodeVideo', 'NameTranscodeFailure', 'RecordFailure']));
    expect(await imageItem(input.imageId)).toMatchObject({ status: 'FAILED', error: { name: 'VideoTranscodeFailedError' } });
    expect(validEventTypes(run, input)).toEqual([DETAIL_TYPES.failed]);
  });

  it('fails with VideoAnalysisFailedError when a Rekognition Video job ends FAILED', async () => {
    // Prepare
    const input = upload('jpeg-upload', await clipBytes({ seconds: 2 }), {}, 'uploads/holiday/clip2.mp4');
    answerRekognitionVideo({ failModeration: true });

    // Act
    const run = await runPipeline(input, { handlers, mediaConvert: transcodeIntoFakeS3 });

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.error?.name).toBe('VideoAnalysisFailedError');
    expect(await imageItem(input.imageId)).toMatchObject({ status: 'FAILED', error: { name: 'VideoAnalysisFailedError' } });
  });

  it('refuses a zip bomb in MP4 clothing at ProbeVideo, before any transcode', async () => {
    // Prepare: a real clip whose sample-size table claims 4 billion entries.
    const bytes = Buffer.from(await clipBytes({ seconds: 2 }));
    const stsz = bytes.indexOf('stsz');
    bytes.writeUInt32BE(4_000_000_000, stsz + 12);
    const input = upload('jpeg-upload', bytes, {}, 'uploads/holiday/bomb.mp4');
    let transcodes = 0;

    // Act
    const run = await runPipeline(input, {
      handlers,
      mediaConvert: async (parameters) => {
        transcodes += 1;
        return transcodeIntoFakeS3(parameters);
      },
    });

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.error?.name).toBe('CorruptVideoError');
    expect(transcodes).toBe(0);
    expect(rekognition.commandCalls(StartLabelDetectionCommand)).toHaveLength(0);
  });
});
