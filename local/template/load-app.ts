import type { InputTransformerSpec } from '../services/events/input-transformer';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { yamlParse } from 'yaml-cfn';
import { TemplateResolutionError } from './errors';
import { NO_VALUE, condition, resolveValue, type ResolveScope } from './intrinsics';
import { identify, type ResourceIdentity } from './physical-names';
import { readSamConfig } from './samconfig';
import { eventPatternProblems } from '../services/events/event-pattern';
import type { LifecycleRule } from '../services/s3/lifecycle';
import type {
  LocalApp,
  LocalEventRule,
  LocalEventSourceMapping,
  LocalFunction,
  LocalS3Event,
  LocalStateMachine,
  LocalTable,
  PseudoParameters,
} from './types';
import { readHttpApis, readUserPools } from './web-app';

/** Where to find the template and what to override. */
export interface LoadAppOptions {
  rootDir: string;
  templateFile?: string;
  samconfigFile?: string;
  /** Overrides on top of samconfig.toml's parameter_overrides. */
  parameterOverrides?: Record<string, string>;
  pseudo?: Partial<PseudoParameters>;
}

type Resource = { Type: string; Properties?: Record<string, unknown>; Condition?: string; Metadata?: Record<string, unknown> };
type Template = {
  Parameters?: Record<string, { Type?: string; Default?: unknown }>;
  Conditions?: Record<string, unknown>;
  Globals?: Record<string, Record<string, unknown>>;
  Resources?: Record<string, Resource>;
  Outputs?: Record<string, { Value: unknown; Condition?: string }>;
};

const SERVERLESS_FUNCTION = 'AWS::Serverless::Function';

/**
 * Reads template.yaml and samconfig.toml and resolves every resource local mode needs into a LocalApp.
 * @throws TemplateResolutionError when the template is missing or uses something local mode cannot resolve.
 */
export function loadLocalApp(options: LoadAppOptions): LocalApp {
  const rootDir = resolvePath(options.rootDir);
  const templatePath = join(rootDir, options.templateFile ?? 'template.yaml');
  if (!existsSync(templatePath)) throw new TemplateResolutionError(`No template at ${templatePath}`);
  const template = yamlParse(readFileSync(templatePath, 'utf8')) as Template;
  const samconfig = readSamConfig(join(rootDir, options.samconfigFile ?? 'samconfig.toml'));
  const pseudo: PseudoParameters = {
    region: 'us-east-1',
    accountId: '000000000000',
    partition: 'aws',
    stackName: samconfig.stackName ?? 'smart-image-pipeline',
    ...options.pseudo,
  };
  const overrides = { ...samconfig.parameterOverrides, ...options.parameterOverrides };
  const parameters: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(template.Parameters ?? {})) {
    const raw = overrides[name] ?? (spec.Default === undefined ? '' : String(spec.Default));
    parameters[name] = spec.Type?.startsWith('List<') || spec.Type === 'CommaDelimitedList' ? raw.split(',') : raw;
  }
  const scope: ResolveScope = { pseudo, parameters, conditions: template.Conditions ?? {}, identities: {} };
  const conditionCache = new Map<string, boolean>();
  const resources = Object.entries(template.Resources ?? {}).filter(
    ([, r]) => !r.Condition || condition(r.Condition, scope, conditionCache),
  );
  const resolve = (v: unknown) => resolveValue(v, scope, conditionCache);

  for (const [logicalId, resource] of resources) {
    const props = resource.Properties ?? {};
    const named = (key: string): string | undefined => {
      if (props[key] === undefined) return undefined;
      const value = resolve(props[key]);
      return value === NO_VALUE ? undefined : String(value);
    };
    scope.identities[logicalId] = identify(logicalId, resource.Type, props, named, pseudo);
  }
  const byId = Object.fromEntries(resources);
  scope.resolveAttribute = (logicalId, attribute) =>
    byId[logicalId]?.Type === 'AWS::SSM::Parameter' && attribute === 'Value' ? resolve(byId[logicalId].Properties?.Value) : undefined;

  const ofType = (...types: string[]) => resources.filter(([, r]) => types.includes(r.Type));
  const id = (logicalId: string): ResourceIdentity => scope.identities[logicalId];
  const prop = (r: Resource, key: string): unknown => (r.Properties?.[key] === undefined ? undefined : resolve(r.Properties[key]));

  const app: LocalApp = {
    rootDir,
    pseudo,
    parameters: Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)])),
    buckets: ofType('AWS::S3::Bucket').map(([logicalId, r]) => ({
      logicalId,
      name: id(logicalId).ref,
      arn: id(logicalId).attributes.Arn,
      versioned: (prop(r, 'VersioningConfiguration') as { Status?: string } | undefined)?.Status === 'Enabled',
      lifecycleRules: (prop(r, 'LifecycleConfiguration') as { Rules?: LifecycleRule[] } | undefined)?.Rules ?? [],
    })),
    tables: ofType('AWS::DynamoDB::Table', 'AWS::Serverless::SimpleTable').map(([logicalId, r]) =>
      toTable(logicalId, r, id(logicalId), prop),
    ),
    topics: ofType('AWS::SNS::Topic').map(([logicalId]) => ({
      logicalId,
      name: id(logicalId).attributes.TopicName,
      arn: id(logicalId).ref,
    })),
    queues: ofType('AWS::SQS::Queue').map(([logicalId, r]) => {
      const redrive = prop(r, 'RedrivePolicy') as { deadLetterTargetArn?: string; maxReceiveCount?: number } | undefined;
      return {
        logicalId,
        name: id(logicalId).attributes.QueueName,
        arn: id(logicalId).attributes.Arn,
        url: id(logicalId).attributes.QueueUrl,
        ...(prop(r, 'VisibilityTimeout') !== undefined ? { visibilityTimeout: Number(prop(r, 'VisibilityTimeout')) } : {}),
        ...(prop(r, 'DelaySeconds') !== undefined ? { delaySeconds: Number(prop(r, 'DelaySeconds')) } : {}),
        ...(redrive?.deadLetterTargetArn
          ? { deadLetterTargetArn: String(redrive.deadLetterTargetArn), maxReceiveCount: Number(redrive.maxReceiveCount ?? 1) }
          : {}),
      };
    }),
    eventBuses: ofType('AWS::Events::EventBus').map(([logicalId]) => ({
      logicalId,
      name: id(logicalId).attributes.Name,
      arn: id(logicalId).attributes.Arn,
    })),
    eventRules: ofType('AWS::Events::Rule').map(([logicalId, r]) => toEventRule(logicalId, r, id(logicalId), prop)),
    eventSourceMappings: [],
    faceCollections: ofType('AWS::Rekognition::Collection').map(([logicalId]) => id(logicalId).ref),
    ssmParameters: ofType('AWS::SSM::Parameter').map(([logicalId, r]) => ({
      logicalId,
      name: id(logicalId).ref,
      type: String(prop(r, 'Type') ?? 'String'),
      value: String(prop(r, 'Value') ?? ''),
    })),
    functions: [],
    stateMachines: [],
    userPools: readUserPools(resources, scope.identities, resolve),
    httpApis: readHttpApis(resources, scope.identities, resolve),
    outputs: {},
  };

  const globals = template.Globals?.Function ?? {};
  for (const [logicalId, r] of ofType(SERVERLESS_FUNCTION, 'AWS::Lambda::Function')) {
    app.functions.push(
      toFunction(logicalId, r, r.Type === SERVERLESS_FUNCTION ? globals : {}, id(logicalId), rootDir, resolve, byId, scope),
    );
  }
  addBucketNotifications(app, resources, resolve);
  app.eventSourceMappings = eventSourceMappings(app, resources, resolve);
  for (const [logicalId, r] of ofType('AWS::Serverless::StateMachine', 'AWS::StepFunctions::StateMachine')) {
    app.stateMachines.push(toStateMachine(logicalId, r, id(logicalId), rootDir, prop));
  }
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    if (output.Condition && !condition(output.Condition, scope, conditionCache)) continue;
    try {
      app.outputs[name] = String(resolve(output.Value));
    } catch {
      // An output local mode cannot resolve (e.g. a console URL) is simply not offered.
    }
  }
  return app;
}

function toEventRule(
  logicalId: string,
  r: Resource,
  identity: ResourceIdentity,
  prop: (r: Resource, k: string) => unknown,
): LocalEventRule {
  const pattern = prop(r, 'EventPattern');
  const eventPattern = (typeof pattern === 'string' ? JSON.parse(pattern) : pattern) as Record<string, unknown>;
  // A pattern EventBridge would refuse stops the start, as it would fail the deploy.
  const problems = eventPatternProblems(eventPattern);
  if (problems.length > 0) throw new TemplateResolutionError(`${logicalId}: EventPattern is not valid: ${problems.join('; ')}`);
  const targets =
    (prop(r, 'Targets') as
      | Array<{
          Id: string;
          Arn: string;
          DeadLetterConfig?: { Arn?: string };
          Input?: unknown;
          InputPath?: unknown;
          InputTransformer?: unknown;
        }>
      | undefined) ?? [];
  for (const target of targets) {
    if (target.Input !== undefined || target.InputPath !== undefined) {
      throw new TemplateResolutionError(
        `${logicalId}.Targets.${target.Id}: local mode delivers the whole event or an InputTransformer's output; Input and InputPath are not emulated`,
      );
    }
  }
  const eventBusName = String(prop(r, 'EventBusName') ?? 'default');
  return {
    logicalId,
    name: identity.ref.split('|').pop() ?? identity.ref,
    arn: identity.attributes.Arn,
    eventBusName: eventBusName.startsWith('arn:') ? eventBusName.slice(eventBusName.lastIndexOf('/') + 1) : eventBusName,
    eventPattern,
    enabled: String(prop(r, 'State') ?? 'ENABLED') !== 'DISABLED',
    targets: targets.map((target) => ({
      id: target.Id,
      arn: target.Arn,
      ...(target.DeadLetterConfig?.Arn ? { deadLetterArn: target.DeadLetterConfig.Arn } : {}),
      ...(target.InputTransformer ? { inputTransformer: target.InputTransformer as InputTransformerSpec } : {}),
    })),
  };
}

/** SQS event source mappings: AWS::Lambda::EventSourceMapping resources and SAM functions' SQS events. */
function eventSourceMappings(
  app: LocalApp,
  resources: Array<[string, Resource]>,
  resolve: (v: unknown) => unknown,
): LocalEventSourceMapping[] {
  const mappings: LocalEventSourceMapping[] = [];
  const functionOf = (reference: unknown) => app.functions.find((fn) => fn.name === reference || fn.arn === reference);
  const add = (logicalId: string, fn: LocalFunction | undefined, props: Record<string, unknown>, queueKey: string) => {
    const queueArn = String(props[queueKey] ?? '');
    if (!fn || !queueArn.includes(':sqs:')) return;
    const batching = Number(props.MaximumBatchingWindowInSeconds ?? 0);
    mappings.push({
      logicalId,
      functionLogicalId: fn.logicalId,
      queueArn,
      batchSize: Number(props.BatchSize ?? 10),
      maximumBatchingWindowSeconds: batching,
      reportBatchItemFailures: ((props.FunctionResponseTypes as string[] | undefined) ?? []).includes('ReportBatchItemFailures'),
      enabled: props.Enabled !== false && props.Enabled !== 'false',
    });
  };
  for (const [logicalId, r] of resources) {
    if (r.Type === 'AWS::Lambda::EventSourceMapping') {
      const props = resolve(r.Properties ?? {}) as Record<string, unknown>;
      add(logicalId, functionOf(props.FunctionName), props, 'EventSourceArn');
    }
    if (r.Type === SERVERLESS_FUNCTION) {
      for (const [name, event] of Object.entries(
        (r.Properties?.Events ?? {}) as Record<string, { Type: string; Properties: Record<string, unknown> }>,
      )) {
        if (event.Type === 'SQS')
          add(
            `${logicalId}${name}`,
            app.functions.find((fn) => fn.logicalId === logicalId),
            resolve(event.Properties) as Record<string, unknown>,
            'Queue',
          );
      }
    }
  }
  return mappings;
}

function toTable(logicalId: string, r: Resource, identity: ResourceIdentity, prop: (r: Resource, k: string) => unknown): LocalTable {
  if (r.Type === 'AWS::Serverless::SimpleTable') {
    const pk = (prop(r, 'PrimaryKey') as { Name: string; Type: string } | undefined) ?? { Name: 'id', Type: 'String' };
    const type = pk.Type === 'Number' ? 'N' : pk.Type === 'Binary' ? 'B' : 'S';
    return {
      logicalId,
      name: identity.ref,
      arn: identity.attributes.Arn,
      attributeDefinitions: [{ AttributeName: pk.Name, AttributeType: type }],
      keySchema: [{ AttributeName: pk.Name, KeyType: 'HASH' }],
      globalSecondaryIndexes: [],
      localSecondaryIndexes: [],
    };
  }
  return {
    logicalId,
    name: identity.ref,
    arn: identity.attributes.Arn,
    attributeDefinitions: (prop(r, 'AttributeDefinitions') as LocalTable['attributeDefinitions']) ?? [],
    keySchema: (prop(r, 'KeySchema') as LocalTable['keySchema']) ?? [],
    globalSecondaryIndexes: ((prop(r, 'GlobalSecondaryIndexes') as Array<Record<string, unknown>>) ?? []).map(stripCapacity),
    localSecondaryIndexes: ((prop(r, 'LocalSecondaryIndexes') as Array<Record<string, unknown>>) ?? []).map(stripCapacity),
  };
}

function stripCapacity(index: Record<string, unknown>): Record<string, unknown> {
  // Local tables are on-demand; capacity settings and contributor insights mean nothing here.
  const { ProvisionedThroughput: _p, ContributorInsightsSpecification: _c, OnDemandThroughput: _o, WarmThroughput: _w, ...rest } = index;
  return rest;
}

function toFunction(
  logicalId: string,
  r: Resource,
  globals: Record<string, unknown>,
  identity: ResourceIdentity,
  rootDir: string,
  resolve: (v: unknown) => unknown,
  byId: Record<string, Resource>,
  scope: ResolveScope,
): LocalFunction {
  const own = r.Properties ?? {};
  const globalEnv = ((globals.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<
    string,
    unknown
  >;
  const ownEnv = ((own.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<string, unknown>;
  // SAM merges Environment.Variables key by key (the function wins); every other property is replaced.
  const merged: Record<string, unknown> = { ...globals, ...own };
  const environment = Object.fromEntries(
    Object.entries(resolve({ ...globalEnv, ...ownEnv }) as Record<string, unknown>).map(([k, v]) => [
      k,
      typeof v === 'string' ? v : JSON.stringify(v),
    ]),
  );
  const codeUri = String(resolve(merged.CodeUri ?? merged.Code ?? '.'));
  const build = (r.Metadata?.BuildProperties ?? {}) as { EntryPoints?: string[] };
  const invokeConfig = (resolve(merged.EventInvokeConfig ?? {}) ?? {}) as {
    MaximumRetryAttempts?: number;
    DestinationConfig?: { OnFailure?: { Destination?: string } };
  };
  const s3Events: LocalS3Event[] = [];
  for (const [name, event] of Object.entries((own.Events ?? {}) as Record<string, { Type: string; Properties: Record<string, unknown> }>)) {
    if (event.Type !== 'S3') continue;
    const bucketRef = event.Properties.Bucket as { Ref?: string };
    const bucketLogicalId = bucketRef?.Ref;
    if (!bucketLogicalId || !byId[bucketLogicalId])
      throw new TemplateResolutionError(`${logicalId}.Events.${name}: Bucket must be a Ref to a bucket in the template`);
    const resolved = resolve(event.Properties) as {
      Events: string | string[];
      Filter?: { S3Key?: { Rules?: Array<{ Name: string; Value: string }> } };
    };
    s3Events.push({
      name,
      bucketLogicalId,
      bucketName: scope.identities[bucketLogicalId].ref,
      events: ([] as string[]).concat(resolved.Events),
      ...filterRules(resolved.Filter),
    });
  }
  return {
    logicalId,
    name: identity.ref,
    arn: identity.attributes.Arn,
    codeDir: isAbsolute(codeUri) ? codeUri : join(rootDir, codeUri),
    handler: String(resolve(merged.Handler ?? 'index.handler')),
    entryPoints: build.EntryPoints ?? [],
    runtime: String(resolve(merged.Runtime ?? 'nodejs22.x')),
    environment,
    timeoutSeconds: Number(resolve(merged.Timeout ?? 3)),
    memorySize: Number(resolve(merged.MemorySize ?? 128)),
    s3Events,
    onFailureDestination: invokeConfig.DestinationConfig?.OnFailure?.Destination,
    maximumRetryAttempts: invokeConfig.MaximumRetryAttempts ?? 2,
    ...reservedConcurrency(resolve(merged.ReservedConcurrentExecutions)),
  };
}

function reservedConcurrency(value: unknown): { reservedConcurrency?: number } {
  return value === undefined || value === null || value === NO_VALUE ? {} : { reservedConcurrency: Number(value) };
}

function filterRules(filter: { S3Key?: { Rules?: Array<{ Name: string; Value: string }> } } | undefined): {
  prefix: string;
  suffix: string;
} {
  const rules = filter?.S3Key?.Rules ?? [];
  const rule = (name: string) => rules.find((x) => x.Name.toLowerCase() === name)?.Value ?? '';
  return { prefix: rule('prefix'), suffix: rule('suffix') };
}

function addBucketNotifications(app: LocalApp, resources: Array<[string, Resource]>, resolve: (v: unknown) => unknown): void {
  // A bucket may name its Lambda targets itself (NotificationConfiguration) instead of SAM's function Events.
  for (const [bucketLogicalId, r] of resources) {
    if (r.Type !== 'AWS::S3::Bucket' || !r.Properties?.NotificationConfiguration) continue;
    const config = resolve(r.Properties.NotificationConfiguration) as {
      LambdaConfigurations?: Array<{
        Event: string;
        Function: string;
        Filter?: { S3Key?: { Rules?: Array<{ Name: string; Value: string }> } };
      }>;
    };
    const bucket = app.buckets.find((b) => b.logicalId === bucketLogicalId);
    for (const [i, target] of (config.LambdaConfigurations ?? []).entries()) {
      const fn = app.functions.find((f) => f.arn === target.Function || f.name === target.Function);
      if (!fn || !bucket) continue;
      fn.s3Events.push({
        name: `${bucketLogicalId}Notification${i}`,
        bucketLogicalId,
        bucketName: bucket.name,
        events: [target.Event],
        ...filterRules(target.Filter),
      });
    }
  }
}

function toStateMachine(
  logicalId: string,
  r: Resource,
  identity: ResourceIdentity,
  rootDir: string,
  prop: (r: Resource, k: string) => unknown,
): LocalStateMachine {
  const substitutions = Object.fromEntries(
    Object.entries((prop(r, 'DefinitionSubstitutions') as Record<string, unknown>) ?? {}).map(([k, v]) => [k, String(v)]),
  );
  const definitionUri = prop(r, 'DefinitionUri') ?? prop(r, 'DefinitionS3Location');
  let text: string;
  let definitionPath = '';
  if (typeof definitionUri === 'string') {
    definitionPath = isAbsolute(definitionUri) ? definitionUri : join(rootDir, definitionUri);
    text = readFileSync(definitionPath, 'utf8');
  } else if (prop(r, 'Definition') !== undefined) {
    text = JSON.stringify(prop(r, 'Definition'));
  } else if (typeof prop(r, 'DefinitionString') === 'string') {
    text = String(prop(r, 'DefinitionString'));
  } else {
    throw new TemplateResolutionError(`${logicalId}: local mode needs DefinitionUri as a local file, Definition or DefinitionString`);
  }
  const definition =
    definitionPath && ['.yaml', '.yml'].includes(extname(definitionPath)) ? (yamlParse(text) as Record<string, unknown>) : JSON.parse(text);
  return {
    logicalId,
    name: identity.attributes.Name,
    arn: identity.ref,
    type: String(prop(r, 'Type') ?? 'STANDARD'),
    definitionPath,
    definition: substitute(definition, substitutions) as Record<string, unknown>,
    substitutions,
  };
}

/** Applies DefinitionSubstitutions to every string of the definition, as SAM does before deploying it. */
export function substitute(value: unknown, substitutions: Record<string, string>): unknown {
  if (typeof value === 'string') return value.replace(/\$\{([^}]+)\}/g, (match, key: string) => substitutions[key] ?? match);
  if (Array.isArray(value)) return value.map((v) => substitute(v, substitutions));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [substitute(k, substitutions) as string, substitute(v, substitutions)]),
    );
  }
  return value;
}

/** The file a function's handler lives in (its TypeScript source when there is one) and the exported name. */
export function handlerSource(fn: LocalFunction): { file: string; exportName: string } {
  const dot = fn.handler.lastIndexOf('.');
  const modulePath = fn.handler.slice(0, dot);
  const exportName = fn.handler.slice(dot + 1);
  // With SAM's esbuild Metadata the Handler names the bundle ("handler.handler"); the source is the entry point of that name.
  const entry = fn.entryPoints.find((e) => basename(e, extname(e)) === basename(modulePath));
  const candidates = [
    ...(entry ? [join(fn.codeDir, entry)] : []),
    ...['.ts', '.mts', '.js', '.mjs', '.cjs'].flatMap((ext) => [
      join(fn.codeDir, modulePath + ext),
      join(fn.codeDir, 'src', basename(modulePath) + ext),
    ]),
  ];
  const file = candidates.find((c) => existsSync(c));
  if (!file)
    throw new TemplateResolutionError(
      `${fn.logicalId}: no source for handler ${fn.handler} in ${fn.codeDir} (tried ${candidates.map((c) => dirname(c) + '/' + basename(c)).join(', ')})`,
    );
  return { file, exportName };
}
