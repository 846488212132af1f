import type { LifecycleRule } from '../services/s3/lifecycle';
import type { EventRuleSpec } from '../services/events/events-service';

/** Values CloudFormation pseudo parameters take in local mode. */
export interface PseudoParameters {
  region: string;
  accountId: string;
  stackName: string;
  partition: string;
}

/** A bucket the template declares, with its local name. */
export interface LocalBucket {
  logicalId: string;
  name: string;
  arn: string;
  versioned: boolean;
  /** LifecycleConfiguration.Rules, resolved (a rule removed with AWS::NoValue is absent). */
  lifecycleRules: LifecycleRule[];
}

/** A DynamoDB table the template declares, with the key schema and indexes as CreateTable wants them. */
export interface LocalTable {
  logicalId: string;
  name: string;
  arn: string;
  attributeDefinitions: Array<{ AttributeName: string; AttributeType: string }>;
  keySchema: Array<{ AttributeName: string; KeyType: string }>;
  globalSecondaryIndexes: Array<Record<string, unknown>>;
  localSecondaryIndexes: Array<Record<string, unknown>>;
}

/** An SNS topic the template declares. */
export interface LocalTopic {
  logicalId: string;
  name: string;
  arn: string;
}

/** An SQS queue the template declares, with the properties the local SQS applies. */
export interface LocalQueue {
  logicalId: string;
  name: string;
  arn: string;
  url: string;
  visibilityTimeout?: number;
  delaySeconds?: number;
  /** RedrivePolicy. */
  maxReceiveCount?: number;
  deadLetterTargetArn?: string;
}

/** An EventBridge bus the template declares. */
export interface LocalEventBus {
  logicalId: string;
  name: string;
  arn: string;
}

/** An EventBridge rule: its bus, pattern and targets (ARN, and the DeadLetterConfig queue), and where it was declared. */
export interface LocalEventRule extends EventRuleSpec {
  logicalId: string;
}

/** A Lambda event source mapping from an SQS queue (AWS::Lambda::EventSourceMapping or a SAM SQS event). */
export interface LocalEventSourceMapping {
  logicalId: string;
  functionLogicalId: string;
  queueArn: string;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  reportBatchItemFailures: boolean;
  enabled: boolean;
}

/** An SSM parameter the template declares, with its resolved value. */
export interface LocalParameter {
  logicalId: string;
  name: string;
  type: string;
  value: string;
}

/** An S3 notification that invokes a function (SAM `Events` of type S3). */
export interface LocalS3Event {
  name: string;
  bucketLogicalId: string;
  bucketName: string;
  events: string[];
  prefix: string;
  suffix: string;
}

/** A Lambda function as Lambda would run it: code location, handler, resolved environment and limits. */
export interface LocalFunction {
  logicalId: string;
  name: string;
  arn: string;
  /** Absolute folder of the function's code (CodeUri). */
  codeDir: string;
  /** SAM Handler, e.g. "handler.handler" (esbuild Metadata) or "src/handler.handler". */
  handler: string;
  /** Entry points from SAM's esbuild Metadata, relative to codeDir, when given. */
  entryPoints: string[];
  runtime: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
  memorySize: number;
  s3Events: LocalS3Event[];
  /** Resolved on-failure destination of asynchronous invokes (an ARN), if any. */
  onFailureDestination?: string;
  maximumRetryAttempts: number;
  /** ReservedConcurrentExecutions: invokes beyond it are throttled (TooManyRequestsException), as in Lambda. */
  reservedConcurrency?: number;
}

/** A state machine with its definition file and resolved substitutions. */
export interface LocalStateMachine {
  logicalId: string;
  name: string;
  arn: string;
  type: string;
  definitionPath: string;
  /** The definition with DefinitionSubstitutions applied, as AWS would store it. */
  definition: Record<string, unknown>;
  substitutions: Record<string, string>;
}

/** Everything local mode builds from template.yaml and samconfig.toml: the one wiring source. */
export interface LocalApp {
  rootDir: string;
  pseudo: PseudoParameters;
  parameters: Record<string, string>;
  buckets: LocalBucket[];
  tables: LocalTable[];
  topics: LocalTopic[];
  queues: LocalQueue[];
  eventBuses: LocalEventBus[];
  eventRules: LocalEventRule[];
  eventSourceMappings: LocalEventSourceMapping[];
  ssmParameters: LocalParameter[];
  /** AWS::Rekognition::Collection ids: the local Rekognition creates each at start unless it exists. */
  faceCollections: string[];
  functions: LocalFunction[];
  stateMachines: LocalStateMachine[];
  /** The web app's user pools and HTTP APIs (issue 11). */
  userPools: LocalUserPool[];
  httpApis: LocalHttpApi[];
  outputs: Record<string, string>;
}

/** An app client of a user pool: where the hosted sign-in may send the browser back to. */
export interface LocalUserPoolClient {
  logicalId: string;
  id: string;
  callbackUrls: string[];
  logoutUrls: string[];
  scopes: string[];
  /** Token lifetimes (Cognito's defaults: 60 minutes, 30 days). */
  accessTokenMinutes: number;
  idTokenMinutes: number;
  refreshTokenDays: number;
}

/** A Cognito user pool the template declares, with what local mode's user pool enforces. */
export interface LocalUserPool {
  logicalId: string;
  id: string;
  /** The issuer in AWS (`https://cognito-idp.<region>.amazonaws.com/<id>`); local mode issues under its own URL. */
  cloudIssuer: string;
  passwordPolicy: {
    minimumLength: number;
    requireLowercase: boolean;
    requireUppercase: boolean;
    requireNumbers: boolean;
    requireSymbols: boolean;
    temporaryPasswordValidityDays: number;
  };
  clients: LocalUserPoolClient[];
  groups: Array<{ name: string; description?: string }>;
}

/** One route of an HTTP API and the function behind it (SAM `Events` of type HttpApi). */
export interface LocalHttpApiRoute {
  /** API Gateway's route key, e.g. `GET /images/{imageId}`. */
  routeKey: string;
  functionLogicalId: string;
  /** False when the route opts out of the API's default authorizer (`Auth: { Authorizer: NONE }`). */
  authorized: boolean;
}

/** An HTTP API (SAM `AWS::Serverless::HttpApi`): CORS, the JWT authorizer and the routes. */
export interface LocalHttpApi {
  logicalId: string;
  id: string;
  cors?: { allowOrigins: string[]; allowMethods: string[]; allowHeaders: string[]; exposeHeaders: string[]; maxAge?: number };
  /** The default JWT authorizer: issuer and audiences, as the template resolves them (cloud values). */
  authorizer?: { issuer: string; audience: string[] };
  routes: LocalHttpApiRoute[];
}
