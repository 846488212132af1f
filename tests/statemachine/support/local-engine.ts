import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DetectFacesCommand, DetectLabelsCommand, DetectModerationLabelsCommand, DetectTextCommand } from '@aws-sdk/client-rekognition';
import { SFNClient } from '@aws-sdk/client-sfn';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsStub } from 'aws-sdk-client-mock';
import { startEdgeServer, type EdgeServer } from '../../../local/edge/server';
import { stepFunctionsEdgeService } from '../../../local/services/stepfunctions/edge-service';
import { StepFunctionsService } from '../../../local/services/stepfunctions/step-functions';
import type { TaskInvokers } from '../../../local/services/stepfunctions/task-resources';
import type { LocalStateMachine } from '../../../local/template/types';
import { startImagesTable, type LocalDynamoDb } from './dynamodb-local';
import type { FakeS3 } from './fake-s3';
import { EVENT_BUS_NAME, functionArn, UNPUBLISHED_EVENTS_QUEUE_URL, type Handler } from './pipeline-runner';
import { PHYSICAL_NAMES } from './pipeline-functions';
import { functionEnvironment, template } from './template-environment';

const repoRoot = join(__dirname, '..', '..', '..');

/**
 * A state machine of statemachine/<file> as CloudFormation would store it: the template's substitutions (the review
 * parameters at their defaults unless `values` gives them), function ARNs for every `…FunctionArn`.
 */
export function localStateMachine(name: string, file: string, values: Record<string, string> = {}): LocalStateMachine {
  const substitutions: Record<string, string> = {
    Partition: 'aws',
    EventBusName: EVENT_BUS_NAME,
    UnpublishedEventsQueueUrl: UNPUBLISHED_EVENTS_QUEUE_URL,
    ReviewTimeoutSeconds: String(template.Parameters.ReviewTimeoutSeconds.Default),
    ReviewTimeoutDecision: String(template.Parameters.ReviewTimeoutDecision.Default),
    ...values,
  };
  const text = readFileSync(join(repoRoot, 'statemachine', file), 'utf8').replace(
    /\$\{([A-Za-z0-9]+)\}/g,
    (_m, key: string) => substitutions[key] ?? (key.endsWith('FunctionArn') ? functionArn(key.replace(/Arn$/, '')) : `\${${key}}`),
  );
  return {
    logicalId: name,
    name,
    arn: `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`,
    type: 'STANDARD',
    definitionPath: `statemachine/${file}`,
    definition: JSON.parse(text),
    substitutions,
  };
}

/** Loads each handler module (logical id -> module path) with the environment its template entry gives it, as a cold start would. */
export function loadHandlers(functions: Record<string, string>): Map<string, Handler> {
  return new Map(
    Object.entries(functions).map(([logicalId, modulePath]) => {
      Object.assign(process.env, functionEnvironment(logicalId, PHYSICAL_NAMES), { POWERTOOLS_LOG_LEVEL: 'SILENT' });
      const { handler } = require(join(repoRoot, modulePath)) as { handler: Handler };
      return [functionArn(logicalId), handler];
    }),
  );
}

/** Polls `probe` every 25 ms until it gives a value (at most `tries` times). */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, tries = 600): Promise<T> {
  for (let i = 0; i < tries; i += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The mocked AWS clients a review test answers with: the in-memory S3, Rekognition and SSM. */
export interface ReviewMocks {
  readonly s3: FakeS3;
  readonly rekognition: AwsStub<any, any, any> & { restore(): void };
  readonly ssm: AwsStub<any, any, any> & { restore(): void };
}

/** What a review test runs against: dynalite, the local engine behind its edge, and an SFN client for that edge. */
export interface ReviewEngine {
  readonly dynamo: LocalDynamoDb;
  readonly table: DynamoDBDocumentClient;
  readonly service: StepFunctionsService;
  readonly edge: EdgeServer;
  readonly sfn: SFNClient;
  /** Stops the engine, the edge and dynalite, and restores the mocked clients. */
  close(): Promise<void>;
}

/**
 * Starts the local engine with `stateMachines` over dynalite, and makes every image look like the flowers photo with
 * suggestive moderation labels (88.4, 81.2), no faces and no text; `pipelineConfig` is the PipelineConfig parameter.
 */
export async function startReviewEngine(options: {
  stateMachines: LocalStateMachine[];
  invokers: TaskInvokers;
  pipelineConfig: string;
  mocks: ReviewMocks;
}): Promise<ReviewEngine> {
  const { dynamo, table } = await startImagesTable(PHYSICAL_NAMES.ImagesTable);
  const service = new StepFunctionsService({
    dataDir: mkdtempSync(join(tmpdir(), 'sip-review-')),
    stateMachines: options.stateMachines,
    invokers: options.invokers,
    region: 'us-east-1',
    concurrency: 4,
  });
  const edge = await startEdgeServer({ port: 0, services: [stepFunctionsEdgeService(service)] });
  const sfn = new SFNClient({ endpoint: edge.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const { s3, rekognition, ssm } = options.mocks;
  const fixture = (name: string) => JSON.parse(readFileSync(join(repoRoot, 'tests/statemachine/fixtures', name), 'utf8'));
  ssm
    .on(GetParameterCommand, { Name: PHYSICAL_NAMES.PipelineConfigParameter })
    .resolves({ Parameter: { Name: PHYSICAL_NAMES.PipelineConfigParameter, Type: 'String', Value: options.pipelineConfig } });
  rekognition.on(DetectLabelsCommand).resolves(fixture('detect-labels-flowers.json'));
  rekognition.on(DetectModerationLabelsCommand).resolves(fixture('detect-moderation-labels-suggestive.json'));
  rekognition.on(DetectFacesCommand).resolves({ FaceDetails: [] });
  rekognition.on(DetectTextCommand).resolves({ TextDetections: [] });
  return {
    dynamo,
    table,
    service,
    edge,
    sfn,
    async close() {
      await service.close();
      await edge.close();
      s3.restore();
      rekognition.restore();
      ssm.restore();
      await dynamo.stop();
    },
  };
}

/** The template's default PipelineConfig with moderation on every image and no near-duplicate reuse. */
export function moderatedConfig(): Record<string, unknown> {
  return { ...JSON.parse(String(template.Parameters.PipelineConfig.Default)), detectModeration: 'always', reuseNearDuplicates: false };
}
