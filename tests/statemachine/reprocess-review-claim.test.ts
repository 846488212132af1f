/**
 * A reprocess claim while the pipeline run it started waits for a moderation review: the real
 * statemachine/reprocess.asl.json (Distributed Map, ItemReader/ResultWriter on the in-memory S3, RunPipeline as
 * startExecution.sync) and statemachine/image-pipeline.asl.json, run by local mode's engine with the real handlers
 * configured from template.yaml (dynalite evaluates the claim's conditional put). Upload at v1 (no quarantine), then
 * reprocess to v2, whose threshold quarantines the photo: the run waits in AwaitReview.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DetectFacesCommand,
  DetectLabelsCommand,
  DetectModerationLabelsCommand,
  DetectTextCommand,
  RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { countReprocessResults, reprocessClaimSeconds } from '@smart-image-pipeline/contracts';
import { mockClient } from 'aws-sdk-client-mock';
import { startEdgeServer, type EdgeServer } from '../../local/edge/server';
import { stepFunctionsEdgeService } from '../../local/services/stepfunctions/edge-service';
import { StepFunctionsService } from '../../local/services/stepfunctions/step-functions';
import type { TaskInvokers } from '../../local/services/stepfunctions/task-resources';
import type { LocalStateMachine } from '../../local/template/types';
import { startImagesTable, type LocalDynamoDb } from './support/dynamodb-local';
import { FakeS3 } from './support/fake-s3';
import { EVENT_BUS_NAME, functionArn, UNPUBLISHED_EVENTS_QUEUE_URL, type Handler } from './support/pipeline-runner';
import { PHYSICAL_NAMES, PIPELINE_FUNCTIONS } from './support/pipeline-functions';
import { functionEnvironment, template } from './support/template-environment';

const repoRoot = join(__dirname, '..', '..');
const loadJson = (relativePath: string): any => JSON.parse(readFileSync(join(repoRoot, relativePath), 'utf8'));
const REVIEWER = '8c1f2e4a-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
const REVIEW_TIMEOUT_SECONDS = Number(template.Parameters.ReviewTimeoutSeconds.Default);

const s3 = new FakeS3();
const rekognition = mockClient(RekognitionClient);
const ssm = mockClient(SSMClient);
let dynamo: LocalDynamoDb;
let table: DynamoDBDocumentClient;
let service: StepFunctionsService;
let edge: EdgeServer;
let sfn: SFNClient;
let handlers: Map<string, Handler>;

/** A definition as CloudFormation would store it (template defaults for the review parameters). */
function machine(name: string, file: string, extra: Record<string, string> = {}): LocalStateMachine {
  const values: Record<string, string> = {
    Partition: 'aws',
    EventBusName: EVENT_BUS_NAME,
    UnpublishedEventsQueueUrl: UNPUBLISHED_EVENTS_QUEUE_URL,
    ReviewTimeoutSeconds: String(REVIEW_TIMEOUT_SECONDS),
    ReviewTimeoutDecision: String(template.Parameters.ReviewTimeoutDecision.Default),
    ReprocessBucketName: PHYSICAL_NAMES.ProcessedBucket,
    ...extra,
  };
  const text = readFileSync(join(repoRoot, 'statemachine', file), 'utf8').replace(
    /\$\{([A-Za-z0-9]+)\}/g,
    (_m, key: string) => values[key] ?? (key.endsWith('FunctionArn') ? functionArn(key.replace(/Arn$/, '')) : `\${${key}}`),
  );
  return {
    logicalId: name,
    name,
    arn: `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`,
    type: 'STANDARD',
    definitionPath: `statemachine/${file}`,
    definition: JSON.parse(text),
    substitutions: values,
  };
}
const PIPELINE = machine('image-pipeline', 'image-pipeline.asl.json');
const REPROCESS = machine('reprocess', 'reprocess.asl.json', { ImagePipelineStateMachineArn: PIPELINE.arn });
const FUNCTIONS = { ...PIPELINE_FUNCTIONS, ReprocessFunction: 'functions/reprocess/src/handler' };

function loadHandlers(): Map<string, Handler> {
  return new Map(
    Object.entries(FUNCTIONS).map(([logicalId, modulePath]) => {
      Object.assign(process.env, functionEnvironment(logicalId, PHYSICAL_NAMES), { POWERTOOLS_LOG_LEVEL: 'SILENT' });
      const { handler } = require(join(repoRoot, modulePath)) as { handler: Handler };
      return [functionArn(logicalId), handler];
    }),
  );
}

/** The Lambda steps run in-process; S3 (ItemReader, ResultWriter) is the fake; .sync runs go to the engine's edge. */
function invokers(): TaskInvokers {
  const s3Client = new S3Client({ region: 'us-east-1' });
  return {
    async invokeLambda(arn, payload) {
      const handler = handlers.get(arn);
      if (!handler) throw new Error(`no handler for ${arn}`);
      return JSON.parse(JSON.stringify((await handler(JSON.parse(JSON.stringify(payload)))) ?? null));
    },
    async callSdk(serviceName, action, params) {
      if (serviceName === 's3' && action === 'getObject') return (await s3Client.send(new GetObjectCommand(params as any))) as any;
      if (serviceName === 's3' && action === 'putObject') return (await s3Client.send(new PutObjectCommand(params as any))) as any;
      if (serviceName === 'sfn' && action === 'startExecution') return (await sfn.send(new StartExecutionCommand(params as any))) as any;
      if (serviceName === 'sfn' && action === 'describeExecution')
        return (await sfn.send(new DescribeExecutionCommand(params as any))) as any;
      if (serviceName === 'eventbridge' || serviceName === 'events')
        return { FailedEntryCount: 0, Entries: (params.Entries as unknown[]).map((_, i) => ({ EventId: `e-${i}` })) };
      throw new Error(`unexpected ${serviceName}.${action}`);
    },
  };
}

async function item(imageId: string, sk: string): Promise<Record<string, any> | undefined> {
  const key = { PK: `IMAGE#${imageId}`, SK: sk };
  return (await table.send(new GetCommand({ TableName: PHYSICAL_NAMES.ImagesTable, Key: key, ConsistentRead: true }))).Item;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 1200; i += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const finished = (executionArn: string) =>
  until('the execution to end', async () => {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return described.status === 'RUNNING' ? undefined : described;
  });

async function reprocess(name: string, where: string): Promise<string> {
  const input = JSON.stringify({ version: 'v2', where, maxConcurrency: 2 });
  return (await sfn.send(new StartExecutionCommand({ stateMachineArn: REPROCESS.arn, name, input }))).executionArn!;
}

/** What a finished reprocess run counts, from its output and its result files (as the status route reads them). */
async function counts(executionArn: string) {
  const described = await finished(executionArn);
  const s3Client = new S3Client({ region: 'us-east-1' });
  return countReprocessResults(JSON.parse(described.output ?? '{}'), async (Bucket, Key) =>
    JSON.parse(await (await s3Client.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToString()),
  );
}

const pipelineRuns = async (imageId: string) =>
  ((await sfn.send(new ListExecutionsCommand({ stateMachineArn: PIPELINE.arn }))).executions ?? []).filter((run) =>
    run.name?.startsWith(`img-${imageId}-`),
  );

jest.setTimeout(120_000);

beforeAll(async () => {
  ({ dynamo, table } = await startImagesTable(PHYSICAL_NAMES.ImagesTable));
  handlers = loadHandlers();
  service = new StepFunctionsService({
    dataDir: mkdtempSync(join(tmpdir(), 'sip-reprocess-claim-')),
    stateMachines: [PIPELINE, REPROCESS],
    invokers: invokers(),
    region: 'us-east-1',
    concurrency: 4,
  });
  edge = await startEdgeServer({ port: 0, services: [stepFunctionsEdgeService(service)] });
  sfn = new SFNClient({ endpoint: edge.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  // v1 quarantines nothing the suggestive fixture scores (88.4 at most); v2 quarantines from 80, so its run waits.
  const base = {
    ...JSON.parse(String(template.Parameters.PipelineConfig.Default)),
    detectModeration: 'always',
    reuseNearDuplicates: false,
  };
  const config = JSON.stringify({
    current: 'v1',
    versions: { v1: { ...base, quarantineMinConfidence: 99 }, v2: { ...base, quarantineMinConfidence: 80 } },
  });
  ssm
    .on(GetParameterCommand, { Name: PHYSICAL_NAMES.PipelineConfigParameter })
    .resolves({ Parameter: { Name: PHYSICAL_NAMES.PipelineConfigParameter, Type: 'String', Value: config } });
  rekognition.on(DetectLabelsCommand).resolves(loadJson('tests/statemachine/fixtures/detect-labels-flowers.json'));
  rekognition.on(DetectModerationLabelsCommand).resolves(loadJson('tests/statemachine/fixtures/detect-moderation-labels-suggestive.json'));
  rekognition.on(DetectFacesCommand).resolves({ FaceDetails: [] });
  rekognition.on(DetectTextCommand).resolves({ TextDetections: [] });
});

afterAll(async () => {
  await service?.close();
  await edge?.close();
  s3.restore();
  rekognition.restore();
  ssm.restore();
  await dynamo?.stop();
});

describe('a reprocess claim while the pipeline run waits for a moderation review', () => {
  it('holds for the whole review wait, keeps a second run of the version off the image, and is given back when the run ends', async () => {
    // Prepare: one upload stored at v1, then run A reprocesses it to v2 and waits in AwaitReview.
    const upload = loadJson('events/resize-image/jpeg-upload.json');
    s3.upload(upload.source.bucket, upload.source.key, readFileSync(join(repoRoot, 'tests/fixtures/images/flowers.jpeg')));
    const first = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: PIPELINE.arn,
        name: `img-${upload.imageId}-${upload.revision}`,
        input: JSON.stringify(upload),
      }),
    );
    expect((await finished(first.executionArn!)).status).toBe('SUCCEEDED');
    expect(await item(upload.imageId, 'IMAGE')).toMatchObject({ status: 'SUCCEEDED', pipelineVersion: 'v1' });
    const runA = await reprocess('reprocess-a', 'all');
    const review = await until('the review item', async () => {
      const found = await item(upload.imageId, 'REVIEW');
      return found?.status === 'PENDING' ? found : undefined;
    });
    const claim = await item(upload.imageId, 'REPROCESS#v2');

    // Act: while A waits, run B of the same version (its selection, and its child's PrepareImage, the real handler).
    const runB = await reprocess('reprocess-b', 'all');
    const countsB = await counts(runB);
    const prepareB = await handlers.get(functionArn('ReprocessFunction'))!({
      action: 'prepare',
      imageId: upload.imageId,
      version: 'v2',
      runName: 'reprocess-b',
    });
    const runsDuringWait = await pipelineRuns(upload.imageId);
    const claimDuringWait = await item(upload.imageId, 'REPROCESS#v2');
    // The reviewer rejects: the run ends (REJECTED), and with it the claim.
    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken: review.taskToken,
        output: JSON.stringify({ decision: 'reject', reason: 'Not for the gallery.', decidedBy: REVIEWER, decidedByName: 'reviewer' }),
      }),
    );
    const countsA = await counts(runA);
    const prepareC = await handlers.get(functionArn('ReprocessFunction'))!({
      action: 'prepare',
      imageId: upload.imageId,
      version: 'v2',
      runName: 'reprocess-c',
    });

    // Assess: A's claim lasts the review timeout plus the run's work, and is still A's during the wait.
    expect(claim).toMatchObject({ runName: 'reprocess-a', revision: upload.revision });
    expect(claim!.expiresAt).toBe(Math.ceil(Date.parse(claim!.claimedAt) / 1000) + reprocessClaimSeconds(REVIEW_TIMEOUT_SECONDS));
    expect(claim!.expiresAt - Date.now() / 1000).toBeGreaterThan(REVIEW_TIMEOUT_SECONDS);
    expect(claimDuringWait).toEqual(claim);
    // B started nothing: the one reprocess pipeline run is A's (plus the upload's own run).
    // (its selection leaves the QUARANTINED image out; a child reaching it skips it: the run under review is v2's own).
    expect(countsB).toMatchObject({ selected: 0, reprocessed: 0, failed: 0 });
    expect(prepareB).toEqual({ action: 'skip', imageId: upload.imageId, reason: 'current' });
    expect(runsDuringWait.filter((run) => run.status === 'RUNNING')).toHaveLength(1);
    expect(runsDuringWait).toHaveLength(2);
    // A's child waited for the review instead of failing, and counts the image reprocessed.
    expect(countsA).toMatchObject({ selected: 1, reprocessed: 1, failed: 0, skipped: 0 });
    expect(await item(upload.imageId, 'IMAGE')).toMatchObject({ status: 'REJECTED', pipelineVersion: 'v2' });
    // Once the run ended, another run of v2 may take the image (here a REJECTED one, which a user= selection can pick).
    expect(prepareC).toMatchObject({ action: 'run', runName: 'reprocess-c' });
    expect(await item(upload.imageId, 'REPROCESS#v2')).toMatchObject({ runName: 'reprocess-c' });
  });
});
