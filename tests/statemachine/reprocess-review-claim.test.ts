/**
 * A reprocess claim while the pipeline run it started waits for a moderation review: the real
 * statemachine/reprocess.asl.json (Distributed Map, ItemReader/ResultWriter on the in-memory S3, RunPipeline as
 * startExecution.sync) and statemachine/image-pipeline.asl.json, run by local mode's engine with the real handlers
 * configured from template.yaml (dynalite evaluates the claim's conditional put). Upload at v1 (no quarantine), then
 * reprocess to v2, whose threshold quarantines the photo: the run waits in AwaitReview.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { countReprocessResults, reprocessClaimSeconds } from '@smart-image-pipeline/contracts';
import { mockClient } from 'aws-sdk-client-mock';
import type { TaskInvokers } from '../../local/services/stepfunctions/task-resources';
import { FakeS3 } from './support/fake-s3';
import { localStateMachine, loadHandlers, moderatedConfig, startReviewEngine, until, type ReviewEngine } from './support/local-engine';
import { functionArn, type Handler } from './support/pipeline-runner';
import { PHYSICAL_NAMES, PIPELINE_FUNCTIONS } from './support/pipeline-functions';
import { template } from './support/template-environment';

const repoRoot = join(__dirname, '..', '..');
const loadJson = (relativePath: string): any => JSON.parse(readFileSync(join(repoRoot, relativePath), 'utf8'));
const REVIEWER = '8c1f2e4a-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
const REVIEW_TIMEOUT_SECONDS = Number(template.Parameters.ReviewTimeoutSeconds.Default);

const s3 = new FakeS3();
const rekognition = mockClient(RekognitionClient);
const ssm = mockClient(SSMClient);
let engine: ReviewEngine;
let table: DynamoDBDocumentClient;
let sfn: SFNClient;
let handlers: Map<string, Handler>;

const PIPELINE = localStateMachine('image-pipeline', 'image-pipeline.asl.json');
const REPROCESS = localStateMachine('reprocess', 'reprocess.asl.json', {
  ImagePipelineStateMachineArn: PIPELINE.arn,
  ReprocessBucketName: PHYSICAL_NAMES.ProcessedBucket,
});

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

const finished = (executionArn: string) =>
  until(
    'the execution to end',
    async () => {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return described.status === 'RUNNING' ? undefined : described;
    },
    1200,
  );

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

/** A Map child's first step for the image in run `runName` of v2 (the real ReprocessFunction). */
const prepare = (imageId: string, runName: string) =>
  handlers.get(functionArn('ReprocessFunction'))!({ action: 'prepare', imageId, version: 'v2', runName });

const pipelineRuns = async (imageId: string) =>
  ((await sfn.send(new ListExecutionsCommand({ stateMachineArn: PIPELINE.arn }))).executions ?? []).filter((run) =>
    run.name?.startsWith(`img-${imageId}-`),
  );

jest.setTimeout(120_000);

beforeAll(async () => {
  handlers = loadHandlers({ ...PIPELINE_FUNCTIONS, ReprocessFunction: 'functions/reprocess/src/handler' });
  // v1 quarantines nothing the suggestive fixture scores (88.4 at most); v2 quarantines from 80, so its run waits.
  const base = moderatedConfig();
  engine = await startReviewEngine({
    stateMachines: [PIPELINE, REPROCESS],
    invokers: invokers(),
    pipelineConfig: JSON.stringify({
      current: 'v1',
      versions: { v1: { ...base, quarantineMinConfidence: 99 }, v2: { ...base, quarantineMinConfidence: 80 } },
    }),
    mocks: { s3, rekognition, ssm },
  });
  ({ table, sfn } = engine);
});

afterAll(async () => {
  await engine?.close();
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
    const prepareB = await prepare(upload.imageId, 'reprocess-b');
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
    const prepareC = await prepare(upload.imageId, 'reprocess-c');

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
