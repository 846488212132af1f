import { appendFileSync, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import type { S3EventRecord } from 'aws-lambda';
import { startEdgeServer, type EdgeServer } from '../edge/server';
import type { EdgeService } from '../edge/types';
import { LambdaRuntime, type LogSink } from '../services/lambda';
import { createDynamoDbService, type LocalDynamoDbService } from '../services/dynamodb/dynamodb-service';
import type { Outbox } from '../services/outbox/outbox';
import { createS3Service, type LocalS3Service } from '../services/s3/s3-service';
import { StepFunctionsService, stepFunctionsEdgeService } from '../services/stepfunctions';
import { loadLocalApp, parseParameterOverrides } from '../template';
import type { LocalApp } from '../template/types';
import { AsyncInvoker } from '../services/lambda/async-invoker';
import { lambdaEdgeService } from '../services/lambda/lambda-edge-service';
import { createEventServices, type EventServices } from './event-services';
import { createNotificationServices, type NotificationServices } from './notification-services';
import { uncoveredUploads } from './recovery';
import { matchingFunctions } from './s3-notifications';
import { createSdkCaller } from './sdk-caller';
import { LocalRekognitionService, rekognitionEdgeService } from '../services/rekognition/rekognition-service';
import { createMediaConvertService } from '../services/mediaconvert/mediaconvert-service';
import { openWebApp, type LocalWebApp, type WebAppInfo } from './web-app';

/** Options of the local stack; every one has an environment variable and a default. */
export interface LocalStackOptions {
  /** Where all state lives (LOCAL_DATA_DIR, default `.local` under the repository). */
  dataDir?: string;
  /** Edge port (EDGE_PORT, default 4566); 0 picks a free port. */
  edgePort?: number;
  /** Executions at once (LOCAL_CONCURRENCY, default the number of cores). */
  concurrency?: number;
  /** Serve Rekognition with the local vision service (default true). */
  withVision?: boolean;
  /** The repository holding template.yaml (default: the one this file is in). */
  rootDir?: string;
  /** Template parameter overrides on top of samconfig.toml's and LOCAL_PARAMETER_OVERRIDES. */
  parameterOverrides?: Record<string, string>;
  /** Where function log lines go instead of <dataDir>/logs/<LogicalId>.log. */
  logSink?: LogSink;
  /** Also receives every log line written to <dataDir>/logs (e.g. to echo them on the terminal). */
  onLog?: LogSink;
  /** Browser origins the edge accepts (the console's). */
  allowedOrigins?: string[];
  /** Run uploads that have no final record at start (default true). */
  recover?: boolean;
  /** Wait between Lambda's asynchronous retries (default 1000 ms; Lambda waits ~1 and ~2 minutes). */
  asyncRetryDelayMs?: number;
  /** The web app's HTTP API port (API_PORT, default 3001); 0 picks a free port. */
  apiPort?: number;
  /** The local user pool's sign-in and JWKS port (AUTH_PORT, default 3002); 0 picks a free port. */
  authPort?: number;
  /** Sign the default user in without a prompt (LOCAL_AUTO_SIGN_IN, default true). */
  autoSignIn?: boolean;
}

/** Names of the template's main resources, as local mode created them. */
export interface StackResources {
  uploadsBucket: string;
  processedBucket: string;
  tableName: string;
  stateMachineArn: string;
  topicArn: string;
  configParameterName: string;
}

/** A running local stack. */
export interface LocalStack {
  edgeUrl: string;
  dataDir: string;
  resources: StackResources;
  app: LocalApp;
  services: {
    s3: LocalS3Service;
    /** The notification outbox (also at notifications.outbox). */
    outbox: Outbox;
    dynamodb: LocalDynamoDbService;
    stepfunctions: StepFunctionsService;
    lambda: LambdaRuntime;
    notifications: NotificationServices;
    /** EventBridge (bus, rules) and SQS (queues, event source mappings). */
    eventing: EventServices;
    /** Rekognition on the local vision models; absent with `withVision: false`. */
    rekognition?: LocalRekognitionService;
    /** The web app's user pools and HTTP API. */
    webApp: LocalWebApp;
  };
  /** What the web app's front end needs (config.json); absent when the template declares no web app. */
  webApp?: WebAppInfo;
  /** What start-up recovery did: interrupted executions redriven, uploads delivered again. */
  recovered: { executions: number; uploads: number };
  /** Delivers an S3 record to the functions subscribed to it, asynchronously, as S3 does. */
  deliver(record: S3EventRecord): void;
  /** Resolves when no S3 event, asynchronous invoke or execution is pending. */
  waitForIdle(): Promise<void>;
  /** Stops everything; running executions are left for the next start to redrive. */
  stop(): Promise<void>;
}

const REPO_ROOT = resolve(__dirname, '..', '..');
const LIFECYCLE_INTERVAL_MS = 6 * 60 * 60 * 1000;

/**
 * Starts local mode: reads the template, creates its buckets, table, topic and parameter, serves every service on one
 * edge endpoint, wires S3 notifications to the functions, and recovers what a previous run left unfinished.
 * @throws TemplateResolutionError for a template local mode cannot read, or the edge's listen error (EADDRINUSE).
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const rootDir = options.rootDir ?? REPO_ROOT;
  const dataDir = resolve(rootDir, options.dataDir ?? process.env.LOCAL_DATA_DIR ?? '.local');
  const edgePort = options.edgePort ?? (process.env.EDGE_PORT ? Number(process.env.EDGE_PORT) : 4566);
  // LOCAL_PARAMETER_OVERRIDES takes `sam deploy --parameter-overrides` syntax ("A=1 B='x y'").
  const fromEnv = parseParameterOverrides(process.env.LOCAL_PARAMETER_OVERRIDES ?? '');
  const app = loadLocalApp({ rootDir, parameterOverrides: { ...fromEnv, ...options.parameterOverrides } });
  const concurrency = Math.max(1, options.concurrency ?? (Number(process.env.LOCAL_CONCURRENCY) || cpus().length));
  const region = app.pseudo.region;
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  const logSink: LogSink =
    options.logSink ??
    ((logicalId, line) => {
      appendFileSync(join(dataDir, 'logs', `${logicalId}.log`), `${line}\n`);
      options.onLog?.(logicalId, line);
    });
  const stackLog = (line: string) => logSink('stack', line);

  const s3 = await createS3Service({ dataDir, region });
  const dynamodb = await createDynamoDbService({ dataDir });
  const notifications = await createNotificationServices({ dataDir, region });
  const eventing = await createEventServices(app, dataDir);
  let lambda: LambdaRuntime | undefined;
  let asyncInvoker: AsyncInvoker | undefined;
  let edgeUrl = '';
  const sdkCall = (service: string, action: string, params: Record<string, unknown>) => createSdkCallerOnce()(service, action, params);
  let sdkCaller: ReturnType<typeof createSdkCaller> | undefined;
  const createSdkCallerOnce = () => (sdkCaller ??= createSdkCaller({ edgeUrl, region }));
  const stepfunctions = new StepFunctionsService({
    dataDir,
    stateMachines: app.stateMachines,
    region,
    concurrency,
    invokers: {
      invokeLambda: (fn, payload) => (lambda as LambdaRuntime).invoke(fn, payload),
      callSdk: sdkCall,
    },
  });
  // Models load in the vision workers in the background; S3Object images are read straight from the local store.
  const rekognition =
    options.withVision === false
      ? undefined
      : new LocalRekognitionService({
          dataDir,
          readS3Object: (bucket, key, versionId) => s3.getObjectBytes(bucket, key, versionId),
          accountId: app.pseudo.accountId,
          region,
        });
  // The template's face collections exist from the start, as after a deployment; their faces survive restarts.
  for (const collectionId of app.faceCollections) await rekognition?.collections.ensure(collectionId);

  // MediaConvert transcodes with ffmpeg (from npm) straight from and into the local S3 store.
  const mediaconvert = createMediaConvertService({ dataDir, region, accountId: app.pseudo.accountId, storage: s3 });
  // Web app (issue 11): the user pools (their admin API joins the edge), then their sign-in server and the HTTP API.
  const webApp = await openWebApp(app, dataDir);
  const webOrigins = options.allowedOrigins ?? [];

  const lazyLambdaService: EdgeService = {
    name: 'lambda',
    get protocol() {
      return lambdaService().protocol;
    },
    matches: (req) => lambdaService().matches(req),
    handle: (req) => lambdaService().handle(req),
  };
  let lambdaServiceInstance: EdgeService | undefined;
  const lambdaService = () =>
    (lambdaServiceInstance ??= lambdaEdgeService(lambda as LambdaRuntime, (name, event) =>
      asyncInvoker?.invoke((lambda as LambdaRuntime).find(name).fn, event),
    ));

  // JSON-protocol services first (routed by X-Amz-Target); S3 last, since it also claims virtual-host requests.
  const services: EdgeService[] = [
    stepFunctionsEdgeService(stepfunctions),
    dynamodb,
    ...notifications.edgeServices,
    ...eventing.edgeServices,
    ...(rekognition ? [rekognitionEdgeService(rekognition)] : []),
    mediaconvert,
    ...webApp.edgeServices,
    lazyLambdaService,
    s3,
  ];
  let edge: EdgeServer;
  try {
    edge = await startEdgeServer({ host: '127.0.0.1', port: edgePort, services, allowedOrigins: options.allowedOrigins });
  } catch (err) {
    await Promise.allSettled([dynamodb.close(), stepfunctions.close(), rekognition?.close()]);
    throw err;
  }
  edgeUrl = edge.url;
  // A stack on a free edge port (tests, `npm run process`) takes free ports for the web app too, so stacks never collide.
  const portOf = (option: number | undefined, variable: string, fallback: number) =>
    option ?? (edgePort === 0 ? 0 : process.env[variable] ? Number(process.env[variable]) : fallback);
  try {
    await webApp.startUserPools({
      port: portOf(options.authPort, 'AUTH_PORT', 3002),
      allowedOrigins: webOrigins,
      autoSignIn: options.autoSignIn ?? process.env.LOCAL_AUTO_SIGN_IN !== 'false',
    });
  } catch (err) {
    await Promise.allSettled([edge.close(), dynamodb.close(), stepfunctions.close(), rekognition?.close()]);
    throw err;
  }
  lambda = new LambdaRuntime(app, { edgeUrl, region, accountId: app.pseudo.accountId, logSink, maxInstances: Math.max(2, concurrency) });
  asyncInvoker = new AsyncInvoker(lambda, dataDir, options.asyncRetryDelayMs ?? 1000, stackLog);
  try {
    await webApp.startApis({ port: portOf(options.apiPort, 'API_PORT', 3001), allowedOrigins: webOrigins, lambda, log: stackLog });
  } catch (err) {
    await Promise.allSettled([webApp.close(), lambda.close(), edge.close(), dynamodb.close(), stepfunctions.close(), rekognition?.close()]);
    throw err;
  }
  const runtime = lambda;
  eventing.startEventSources(
    (fn, event) => runtime.invoke(fn, event),
    (functionArn, event) => asyncInvoker?.invoke(runtime.find(functionArn).fn, event),
    stackLog,
  );

  for (const bucket of app.buckets) await s3.createBucket(bucket.name, { versioning: bucket.versioned });
  // S3 applies lifecycle rules about once a day; here at start and then every LIFECYCLE_INTERVAL_MS.
  const applyLifecycleRules = async () => {
    for (const bucket of app.buckets) if (bucket.lifecycleRules.length > 0) await s3.applyLifecycle(bucket.name, bucket.lifecycleRules);
  };
  await applyLifecycleRules();
  const lifecycleTimer = setInterval(
    () => void applyLifecycleRules().catch((error) => console.error('[local s3] lifecycle run failed:', error)),
    LIFECYCLE_INTERVAL_MS,
  );
  lifecycleTimer.unref();
  for (const table of app.tables) {
    await dynamodb.createTable({
      TableName: table.name,
      AttributeDefinitions: table.attributeDefinitions as never,
      KeySchema: table.keySchema as never,
      BillingMode: 'PAY_PER_REQUEST',
      ...(table.globalSecondaryIndexes.length ? { GlobalSecondaryIndexes: table.globalSecondaryIndexes as never } : {}),
      ...(table.localSecondaryIndexes.length ? { LocalSecondaryIndexes: table.localSecondaryIndexes as never } : {}),
    });
  }
  await notifications.createResources(app);

  const deliver = (record: S3EventRecord) => {
    for (const fn of matchingFunctions(app, record)) {
      // One record per event, as S3 sends them.
      asyncInvoker?.invoke(fn, { Records: [record] });
    }
  };
  const unsubscribers = [s3.onObjectCreated(deliver), s3.onObjectRemoved(deliver)];

  const recovered = { executions: 0, uploads: 0 };
  if (options.recover !== false) {
    recovered.executions = stepfunctions.resumeInterrupted();
    const records = uncoveredUploads(app, s3, stepfunctions.allExecutions());
    recovered.uploads = records.length;
    for (const record of records) deliver(record);
  }

  const find = <T extends { logicalId: string }>(list: T[], logicalId: string, fallback: (l: T[]) => T | undefined) =>
    list.find((x) => x.logicalId === logicalId) ?? fallback(list);
  const resources: StackResources = {
    uploadsBucket:
      find(app.buckets, 'UploadsBucket', (l) =>
        l.find((b) => app.functions.some((f) => f.s3Events.some((e) => e.bucketLogicalId === b.logicalId))),
      )?.name ?? '',
    processedBucket: find(app.buckets, 'ProcessedBucket', (l) => l.find((b) => b.logicalId !== 'UploadsBucket'))?.name ?? '',
    tableName: find(app.tables, 'ImagesTable', (l) => l[0])?.name ?? '',
    stateMachineArn: find(app.stateMachines, 'ImagePipelineStateMachine', (l) => l[0])?.arn ?? '',
    topicArn: find(app.topics, 'NotificationTopic', (l) => l[0])?.arn ?? '',
    configParameterName: find(app.ssmParameters, 'PipelineConfigParameter', (l) => l[0])?.name ?? '',
  };

  let stopped = false;
  return {
    edgeUrl,
    dataDir,
    resources,
    app,
    services: { s3, outbox: notifications.outbox, dynamodb, stepfunctions, lambda, notifications, eventing, rekognition, webApp },
    webApp: webApp.info,
    recovered,
    deliver,
    async waitForIdle() {
      // Each stage can start work in the next (an upload starts an execution), so loop until all are quiet at once.
      for (;;) {
        await s3.drainEvents();
        await asyncInvoker?.drain();
        await stepfunctions.waitForIdle();
        await s3.drainEvents();
        await eventing.drain();
        if (eventing.isBusy()) {
          // Events are on their way through a queue to a function; delayed messages (digests) are not waited for.
          await new Promise((resolve) => setTimeout(resolve, 50));
          continue;
        }
        if (!(await asyncInvoker?.hasPending()) && stepfunctions.isIdle()) return;
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const unsubscribe of unsubscribers) unsubscribe();
      clearInterval(lifecycleTimer);
      await webApp.close();
      await stepfunctions.close();
      await eventing.close();
      await lambda?.close();
      await edge.close();
      await Promise.allSettled([dynamodb.close(), rekognition?.close(), notifications.close()]);
    },
  };
}
