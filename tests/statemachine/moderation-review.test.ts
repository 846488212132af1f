/**
 * The moderation review in the real statemachine/image-pipeline.asl.json, run by local mode's Step Functions engine
 * (which implements .waitForTaskToken and SendTaskSuccess over the wire) with the four real handlers in-process,
 * configured from template.yaml: dynalite for DynamoDB (conditional writes really evaluated), the in-memory S3,
 * mocked Rekognition and SSM clients with canned API responses. Approve, reject and the timeout default.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { DescribeExecutionCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DETAIL_TYPES, imageFlaggedDetailSchema, imageProcessedDetailSchema } from '@smart-image-pipeline/contracts';
import { mockClient } from 'aws-sdk-client-mock';
import type { TaskInvokers } from '../../local/services/stepfunctions/task-resources';
import type { LocalStateMachine } from '../../local/template/types';
import { FakeS3 } from './support/fake-s3';
import { localStateMachine, loadHandlers, moderatedConfig, startReviewEngine, until, type ReviewEngine } from './support/local-engine';
import { EVENT_BUS_NAME, type Handler } from './support/pipeline-runner';
import { PHYSICAL_NAMES, PIPELINE_FUNCTIONS } from './support/pipeline-functions';

const repoRoot = join(__dirname, '..', '..');
const loadJson = (relativePath: string): any => JSON.parse(readFileSync(join(repoRoot, relativePath), 'utf8'));

const REVIEWER = '8c1f2e4a-5b6d-4e7f-8a9b-0c1d2e3f4a5b';

const s3 = new FakeS3();
const rekognition = mockClient(RekognitionClient);
const ssm = mockClient(SSMClient);
let engine: ReviewEngine;
let table: DynamoDBDocumentClient;
let sfn: SFNClient;
/** Every event PutEvents accepted, by execution ARN. */
const published = new Map<string, any[]>();

/** The pipeline with the review parameters given (template defaults otherwise). */
function machine(name: string, review: { timeoutSeconds?: string; decision?: string } = {}): LocalStateMachine {
  const values: Record<string, string> = {};
  if (review.timeoutSeconds) values.ReviewTimeoutSeconds = review.timeoutSeconds;
  if (review.decision) values.ReviewTimeoutDecision = review.decision;
  return localStateMachine(name, 'image-pipeline.asl.json', values);
}
const PIPELINE = machine('image-pipeline');
const QUICK_TIMEOUT = machine('image-pipeline-quick-timeout', { timeoutSeconds: '1' });
const QUICK_APPROVE = machine('image-pipeline-quick-approve', { timeoutSeconds: '1', decision: 'approve' });

function invokersFor(handlers: Map<string, Handler>): TaskInvokers {
  return {
    async invokeLambda(arn, payload) {
      const handler = handlers.get(arn);
      if (!handler) throw new Error(`no handler for ${arn}`);
      return JSON.parse(JSON.stringify((await handler(JSON.parse(JSON.stringify(payload)))) ?? null));
    },
    async callSdk(serviceName, action, params) {
      if (serviceName === 'eventbridge' || serviceName === 'events') {
        const entries = params.Entries as any[];
        for (const entry of entries) {
          const executionArn = String(entry.Resources?.[0] ?? '');
          const event = {
            'detail-type': entry.DetailType,
            source: entry.Source,
            detail: JSON.parse(entry.Detail),
            bus: entry.EventBusName,
          };
          published.set(executionArn, [...(published.get(executionArn) ?? []), event]);
        }
        return { FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `e-${i}` })) };
      }
      throw new Error(`unexpected ${serviceName}.${action}`);
    },
  };
}

let uploads = 0;

/** A fresh image (own imageId and revision) whose upload is in the fake S3. */
function upload(): any {
  const input = loadJson('events/resize-image/jpeg-upload.json');
  uploads += 1;
  const suffix = (0xa000 + uploads).toString(16);
  input.imageId = `${input.imageId.slice(0, -4)}${suffix}`;
  input.revision = `${input.revision.slice(0, -4)}${suffix}`;
  s3.upload(input.source.bucket, input.source.key, readFileSync(join(repoRoot, 'tests/fixtures/images/flowers.jpeg')));
  return input;
}

async function start(stateMachine: LocalStateMachine, input: any): Promise<string> {
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: stateMachine.arn,
      name: `img-${input.imageId}-${input.revision}`,
      input: JSON.stringify(input),
    }),
  );
  return executionArn as string;
}

async function item(imageId: string, sk: string): Promise<Record<string, any> | undefined> {
  return (await table.send(new GetCommand({ TableName: PHYSICAL_NAMES.ImagesTable, Key: { PK: `IMAGE#${imageId}`, SK: sk } }))).Item;
}

async function auditItems(imageId: string): Promise<Record<string, any>[]> {
  const { Items = [] } = await table.send(
    new QueryCommand({
      TableName: PHYSICAL_NAMES.ImagesTable,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :audit)',
      ExpressionAttributeValues: { ':pk': `IMAGE#${imageId}`, ':audit': 'AUDIT#' },
    }),
  );
  return Items;
}

/** The pending review item of the image, once AwaitReview has stored its token. */
const pendingReview = (imageId: string) =>
  until('the review item', async () => {
    const review = await item(imageId, 'REVIEW');
    return review?.status === 'PENDING' ? review : undefined;
  });

const finished = (executionArn: string) =>
  until('the execution to end', async () => {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return described.status === 'RUNNING' ? undefined : described;
  });

const variantKeys = (input: any) =>
  s3.keys(PHYSICAL_NAMES.ProcessedBucket, `images/${input.imageId}/${input.revision}/`).filter((key) => !key.includes('/rekognition/'));

function decision(value: 'approve' | 'reject', reason: string) {
  return JSON.stringify({ decision: value, reason, decidedBy: REVIEWER, decidedByName: 'reviewer', decidedAt: new Date().toISOString() });
}

/** The detail types an execution published, each detail checked against its contract schema. */
function publishedTypes(executionArn: string): string[] {
  const schemas: Record<string, { parse(value: unknown): unknown }> = {
    [DETAIL_TYPES.flagged]: imageFlaggedDetailSchema,
    [DETAIL_TYPES.processed]: imageProcessedDetailSchema,
  };
  return (published.get(executionArn) ?? []).map((event) => {
    expect(schemas[event['detail-type']].parse(event.detail)).toEqual(event.detail);
    expect(event.bus).toBe(EVENT_BUS_NAME);
    return event['detail-type'];
  });
}

jest.setTimeout(60_000);

beforeAll(async () => {
  // The template's default quarantineMinConfidence (80), which the suggestive labels (88.4, 81.2) reach; moderation on
  // every image (the flowers have no trigger label) and no near-duplicate reuse (every test uploads the same photo).
  engine = await startReviewEngine({
    stateMachines: [PIPELINE, QUICK_TIMEOUT, QUICK_APPROVE],
    invokers: invokersFor(loadHandlers(PIPELINE_FUNCTIONS)),
    pipelineConfig: JSON.stringify(moderatedConfig()),
    mocks: { s3, rekognition, ssm },
  });
  ({ table, sfn } = engine);
});

afterAll(async () => {
  await engine?.close();
});

describe('moderation review in the real state machine', () => {
  it('quarantines a flagged image, waits on the task token, and on approval serves it and publishes Image Processed', async () => {
    // Prepare
    const input = upload();
    const executionArn = await start(PIPELINE, input);
    const review = await pendingReview(input.imageId);
    const quarantined = await item(input.imageId, 'IMAGE');
    const stillRunning = (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status;

    // Act
    await sfn.send(
      new SendTaskSuccessCommand({ taskToken: review.taskToken, output: decision('approve', 'Beach photo, nothing explicit.') }),
    );
    const done = await finished(executionArn);
    const reused = await sfn
      .send(new SendTaskSuccessCommand({ taskToken: review.taskToken, output: decision('reject', 'second try') }))
      .catch((error: unknown) => error);

    // Assess
    expect(stillRunning).toBe('RUNNING');
    expect(quarantined).toMatchObject({ status: 'QUARANTINED', GSI1PK: 'STATUS#QUARANTINED', quarantine: { threshold: 80 } });
    expect(quarantined!.quarantine.labels.map((label: any) => label.name)).toEqual(['Suggestive', 'Revealing Clothes']);
    expect(review).toMatchObject({ GSI1PK: 'REVIEW#PENDING', revision: input.revision, owner: input.owner });
    expect(done.status).toBe('SUCCEEDED');
    expect(await item(input.imageId, 'IMAGE')).toMatchObject({
      status: 'SUCCEEDED',
      GSI1PK: 'STATUS#SUCCEEDED',
      review: { decision: 'approve', decidedBy: REVIEWER, reason: 'Beach photo, nothing explicit.' },
    });
    expect(variantKeys(input).length).toBeGreaterThanOrEqual(2);
    const closed = await item(input.imageId, 'REVIEW');
    expect(closed).toMatchObject({ status: 'DECIDED', decision: 'approve', decidedBy: REVIEWER });
    expect(closed).not.toHaveProperty('taskToken');
    expect(closed).not.toHaveProperty('GSI1PK');
    const audits = await auditItems(input.imageId);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      type: 'AUDIT',
      decision: 'approve',
      decidedBy: REVIEWER,
      decidedByName: 'reviewer',
      statusBefore: 'QUARANTINED',
      statusAfter: 'SUCCEEDED',
      applied: true,
      timedOut: false,
    });
    expect(publishedTypes(executionArn)).toEqual([DETAIL_TYPES.flagged, DETAIL_TYPES.processed]);
    expect(reused).toBeInstanceOf(TaskTimedOut);
    expect(await auditItems(input.imageId)).toHaveLength(1);
  });

  it('on rejection deletes the variants, marks the image REJECTED and audits who decided and why', async () => {
    // Prepare
    const input = upload();
    const executionArn = await start(PIPELINE, input);
    const review = await pendingReview(input.imageId);
    const before = variantKeys(input);

    // Act
    await sfn.send(new SendTaskSuccessCommand({ taskToken: review.taskToken, output: decision('reject', 'Not suitable for the site.') }));
    const done = await finished(executionArn);

    // Assess
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(done.status).toBe('SUCCEEDED');
    expect(variantKeys(input)).toEqual([]);
    const rejected = await item(input.imageId, 'IMAGE');
    expect(rejected).toMatchObject({
      status: 'REJECTED',
      GSI1PK: 'STATUS#REJECTED',
      review: { decision: 'reject', reason: 'Not suitable for the site.' },
    });
    expect(rejected).not.toHaveProperty('variants');
    expect(rejected).not.toHaveProperty('thumbnailKey');
    expect(rejected).not.toHaveProperty('placeholder');
    const [audit] = await auditItems(input.imageId);
    expect(audit).toMatchObject({
      decision: 'reject',
      reason: 'Not suitable for the site.',
      decidedBy: REVIEWER,
      statusAfter: 'REJECTED',
      applied: true,
    });
    expect(publishedTypes(executionArn)).toEqual([DETAIL_TYPES.flagged]);
  });

  it('records a failed decision as a FAILED review in the queue, keeps the image withheld, and a re-run reviews it again', async () => {
    // Prepare: the reject's DeleteObjects fails (S3 answers AccessDenied per key), which ApplyReviewDecision does not retry.
    const input = upload();
    const executionArn = await start(PIPELINE, input);
    const review = await pendingReview(input.imageId);
    s3.failDeletes = true;

    // Act
    await sfn.send(new SendTaskSuccessCommand({ taskToken: review.taskToken, output: decision('reject', 'Not for this site.') }));
    const done = await finished(executionArn);
    s3.failDeletes = false;
    const failed = await item(input.imageId, 'REVIEW');
    const image = await item(input.imageId, 'IMAGE');
    const audits = await auditItems(input.imageId);
    // An admin re-runs the image (POST /admin/executions/{name}/rerun starts the same input under a new name).
    const { executionArn: rerunArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: PIPELINE.arn, name: `rerun-${input.imageId}`, input: JSON.stringify(input) }),
    );
    const again = await pendingReview(input.imageId);
    await sfn.send(new SendTaskSuccessCommand({ taskToken: again.taskToken, output: decision('approve', 'Fine after all.') }));
    const rerun = await finished(rerunArn!);

    // Assess
    expect(done).toMatchObject({ status: 'FAILED', error: 'Error' });
    expect(done.cause).toContain('Could not delete');
    expect(failed).toMatchObject({
      status: 'FAILED',
      GSI1PK: 'REVIEW#PENDING',
      revision: input.revision,
      executionName: `img-${input.imageId}-${input.revision}`,
      attempted: { decision: 'reject', decidedBy: REVIEWER, reason: 'Not for this site.' },
      error: { name: 'Error' },
    });
    expect(failed!.error.cause).toContain('AccessDenied');
    expect(failed).not.toHaveProperty('taskToken');
    expect(image).toMatchObject({ status: 'QUARANTINED', GSI1PK: 'STATUS#QUARANTINED' });
    expect(audits).toEqual([]);
    expect(again.taskToken).not.toBe(review.taskToken);
    expect(rerun.status).toBe('SUCCEEDED');
    expect(await item(input.imageId, 'IMAGE')).toMatchObject({ status: 'SUCCEEDED', review: { decision: 'approve' } });
    expect(await auditItems(input.imageId)).toHaveLength(1);
  });

  it('applies the default decision (reject) when nobody decides within ReviewTimeoutSeconds, audited as system:timeout', async () => {
    // Prepare
    const input = upload();

    // Act
    const executionArn = await start(QUICK_TIMEOUT, input);
    const review = await pendingReview(input.imageId);
    const done = await finished(executionArn);

    // Assess
    expect(review.timeoutAt).toBeDefined();
    expect(done.status).toBe('SUCCEEDED');
    expect(await item(input.imageId, 'IMAGE')).toMatchObject({ status: 'REJECTED', review: { decidedBy: 'system:timeout' } });
    expect(variantKeys(input)).toEqual([]);
    const [audit] = await auditItems(input.imageId);
    expect(audit).toMatchObject({ decision: 'reject', decidedBy: 'system:timeout', timedOut: true, applied: true });
    expect(audit.reason).toContain('No review within 1 seconds');
    expect(await item(input.imageId, 'REVIEW')).toMatchObject({ status: 'DECIDED', decidedBy: 'system:timeout' });
  });

  it('applies approve on timeout when the template says so', async () => {
    // Prepare
    const input = upload();

    // Act
    const executionArn = await start(QUICK_APPROVE, input);
    const done = await finished(executionArn);

    // Assess
    expect(done.status).toBe('SUCCEEDED');
    expect(await item(input.imageId, 'IMAGE')).toMatchObject({ status: 'SUCCEEDED' });
    expect((await auditItems(input.imageId))[0]).toMatchObject({ decision: 'approve', timedOut: true });
    expect(publishedTypes(executionArn)).toEqual([DETAIL_TYPES.flagged, DETAIL_TYPES.processed]);
  });

  it('lets more runs wait for a review than local mode runs executions at once (a waiting run gives up its slot)', async () => {
    // Prepare: the service runs 4 executions at once
    const inputs = Array.from({ length: 6 }, () => upload());

    // Act
    const arns = await Promise.all(inputs.map((input) => start(PIPELINE, input)));
    const reviews = await Promise.all(inputs.map((input) => pendingReview(input.imageId)));
    for (const review of reviews)
      await sfn.send(new SendTaskSuccessCommand({ taskToken: review.taskToken, output: decision('approve', 'batch') }));
    const done = await Promise.all(arns.map((arn) => finished(arn)));

    // Assess
    expect(reviews).toHaveLength(6);
    expect(done.map((execution) => execution.status)).toEqual(Array(6).fill('SUCCEEDED'));
  });
});
