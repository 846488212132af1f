import { existsSync } from 'node:fs';
import { checkAnalysisConfig, DEFAULT_ANALYSIS_CONFIG, RAW_ANALYSIS_TAG } from '@smart-image-pipeline/contracts';
import { join } from 'node:path';
import { loadTemplate, readRepoFile, repoRoot, resourcesOfType } from './support/template';

const FUNCTION_IDS = [
  'TriggerStepFunctionFunction',
  'ResolveVersionFunction',
  'ResizeImageFunction',
  'RekognitionLabelsFunction',
  'StoreMetadataFunction',
  'ModerationReviewFunction',
  'CleanUpImageFunction',
  'NotifyUserFunction',
  'ApiFunction',
  'ReprocessFunction',
  'WebDeployFunction',
  'ProbeVideoFunction',
  'ComposeVideoThumbnailsFunction',
  'RekognitionVideoFunction',
];
/** The functions sam build bundles with esbuild (WebDeployFunction's Makefile also builds the console). */
const ESBUILD_FUNCTION_IDS = FUNCTION_IDS.filter((id) => id !== 'WebDeployFunction');
/** The functions that run the pipeline and the API, whose errors page someone. */
const ALARMED_FUNCTION_IDS = ESBUILD_FUNCTION_IDS;

/** Variables the runtime needs that are not part of the handlers' contract. */
const RUNTIME_VARIABLES = new Set(['NODE_OPTIONS']);

/** The environment-variable table of docs/contracts.md, as function logical ID -> variable names. */
function contractEnvironment(): Map<string, Set<string>> {
  const section = readRepoFile('docs/contracts.md').split('## Environment variables')[1].split('\n## ')[0];
  const rows = section.split('\n').filter((line) => /^\|\s*[A-Za-z]+\s*\|\s*`/.test(line));
  const byFunction = new Map<string, Set<string>>();
  for (const row of rows) {
    const [owner, variables] = row
      .split('|')
      .slice(1, 3)
      .map((cell) => cell.trim());
    const names = [...variables.matchAll(/`([A-Z0-9_]+)`/g)].map((match) => match[1]);
    const ids = owner === 'all' ? FUNCTION_IDS : [`${owner}Function`];
    for (const id of ids) byFunction.set(id, new Set([...(byFunction.get(id) ?? []), ...names]));
  }
  return byFunction;
}

/** The first fenced JSON block after a heading-like marker in docs/contracts.md. */
function contractJsonAfter(marker: string): unknown {
  const after = readRepoFile('docs/contracts.md').split(marker)[1];
  return JSON.parse(after.split('```json')[1].split('```')[0]);
}

describe('template functions', () => {
  it('runs every function on nodejs24.x, arm64, with X-Ray and JSON logs, from Globals only', () => {
    // Prepare
    const template = loadTemplate();
    const functions = resourcesOfType(template, 'AWS::Serverless::Function');

    // Act
    const overrides = Object.entries(functions).flatMap(([id, fn]) =>
      ['Runtime', 'Architectures', 'Tracing'].filter((key) => key in fn.Properties!).map((key) => `${id}.${key}`),
    );

    // Assess
    expect(Object.keys(functions).sort()).toEqual([...FUNCTION_IDS].sort());
    expect(template.Globals.Function.Runtime).toBe('nodejs24.x');
    expect(template.Globals.Function.Architectures).toEqual(['arm64']);
    expect(template.Globals.Function.Tracing).toBe('Active');
    expect(overrides).toEqual([]);
    for (const fn of Object.values(functions)) expect(fn.Properties!.LoggingConfig.LogFormat).toBe('JSON');
  });

  it('sends every function and the state machine to its own log group with a retention', () => {
    // Prepare
    const { Resources } = loadTemplate();
    const functionGroups = FUNCTION_IDS.map((id) => Resources[id].Properties!.LoggingConfig.LogGroup.Ref as string);
    const machineGroup = Resources.ImagePipelineStateMachine.Properties!.Logging.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn[
      'Fn::GetAtt'
    ][0] as string;

    // Act
    const groups = [...functionGroups, machineGroup].map((id) => Resources[id]);

    // Assess
    expect(new Set(functionGroups).size).toBe(FUNCTION_IDS.length);
    for (const group of groups) {
      expect(group.Type).toBe('AWS::Logs::LogGroup');
      expect(group.Properties!.RetentionInDays).toEqual({ Ref: 'LogRetentionDays' });
    }
  });

  it('sets exactly the environment variables that docs/contracts.md lists for each function', () => {
    // Prepare
    const template = loadTemplate();
    const contract = contractEnvironment();
    const globals = Object.keys(template.Globals.Function.Environment.Variables);

    // Act
    const actual = Object.fromEntries(
      FUNCTION_IDS.map((id) => [
        id,
        [...globals, ...Object.keys(template.Resources[id].Properties!.Environment.Variables)]
          .filter((name) => !RUNTIME_VARIABLES.has(name))
          .sort(),
      ]),
    );
    const expected = Object.fromEntries(FUNCTION_IDS.map((id) => [id, [...(contract.get(id) ?? [])].sort()]));

    // Assess
    expect(expected.ResizeImageFunction).toContain('MAX_INPUT_PIXELS');
    expect(actual).toEqual(expected);
  });

  it('starts the pipeline only for ObjectCreated under the prefix the trigger also checks', () => {
    // Prepare
    const { Resources } = loadTemplate();
    const trigger = Resources.TriggerStepFunctionFunction.Properties!;

    // Act
    const targets = Resources.UploadsBucket.Properties!.NotificationConfiguration.LambdaConfigurations;

    // Assess
    expect(trigger.Events).toBeUndefined();
    expect(targets).toEqual([
      {
        Event: 's3:ObjectCreated:*',
        Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'uploads/' }] } },
        Function: { 'Fn::GetAtt': ['TriggerStepFunctionFunction', 'Arn'] },
      },
      {
        Event: 's3:ObjectRemoved:*',
        Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'uploads/' }] } },
        Function: { 'Fn::GetAtt': ['CleanUpImageFunction', 'Arn'] },
      },
    ]);
    expect(trigger.Environment.Variables.UPLOADS_PREFIX).toBe('uploads/');
  });

  it("lets only this stack's uploads bucket invoke the trigger, and tells the trigger that bucket's name", () => {
    // Prepare
    const { Resources } = loadTemplate();

    // Act
    const permission = Resources.TriggerStepFunctionS3Permission;
    const bucketName = Resources.UploadsBucket.Properties!.BucketName;
    const [sourceArnPattern, sourceArnValues] = permission.Properties!.SourceArn['Fn::Sub'];
    const [namePattern, nameValues] = bucketName['Fn::Sub'];

    // Assess
    expect(permission.Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 's3.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      FunctionName: { 'Fn::GetAtt': ['TriggerStepFunctionFunction', 'Arn'] },
    });
    expect(sourceArnPattern).toBe(`arn:\${AWS::Partition}:s3:::${namePattern}`);
    expect(sourceArnValues).toEqual(nameValues);
    expect(Resources.TriggerStepFunctionFunction.Properties!.Environment.Variables.UPLOADS_BUCKET_NAME).toEqual(bucketName);
    // The name must not repeat after a failed or deleted stack (the bucket is retained), so it holds the stack id.
    expect(JSON.stringify(nameValues)).toContain('AWS::StackId');
    expect(Resources.UploadsBucket.DependsOn).toEqual(['TriggerStepFunctionS3Permission', 'CleanUpImageS3Permission']);
  });

  it('sends events the trigger cannot handle to the failure queue after two retries', () => {
    // Prepare
    const trigger = loadTemplate().Resources.TriggerStepFunctionFunction.Properties!;

    // Act
    const config = trigger.EventInvokeConfig;

    // Assess
    expect(config.MaximumRetryAttempts).toBe(2);
    expect(config.DestinationConfig.OnFailure).toEqual({
      Type: 'SQS',
      Destination: { 'Fn::GetAtt': ['TriggerFailureQueue', 'Arn'] },
    });
  });

  it('points the trigger at the state machine by the same name the state machine gets', () => {
    // Prepare
    const { Resources } = loadTemplate();
    const machineName = Resources.ImagePipelineStateMachine.Properties!.Name['Fn::Sub'] as string;

    // Act
    const arn = Resources.TriggerStepFunctionFunction.Properties!.Environment.Variables.STATE_MACHINE_ARN['Fn::Sub'] as string;
    const policy = (Resources.TriggerStepFunctionFunction.Properties!.Policies as any[]).find(
      (entry) => entry.StepFunctionsExecutionPolicy,
    ).StepFunctionsExecutionPolicy;

    // Assess
    expect(arn.endsWith(`:stateMachine:${machineName}`)).toBe(true);
    expect(policy.StateMachineName['Fn::Sub']).toBe(machineName);
  });

  it('bundles each function with esbuild from an entry point that exists', () => {
    // Prepare
    const { Resources } = loadTemplate();

    // Act
    const entries = ESBUILD_FUNCTION_IDS.map((id) => {
      const fn = Resources[id];
      const [entry] = fn.Metadata!.BuildProperties.EntryPoints as string[];
      return { id, fn, path: join(repoRoot, fn.Properties!.CodeUri, entry) };
    });

    // Assess
    for (const { fn, path } of entries) {
      expect(fn.Metadata!.BuildMethod).toBe('esbuild');
      expect(fn.Properties!.Handler).toBe('handler.handler');
      expect(path.endsWith('/src/handler.ts')).toBe(true);
      expect(existsSync(path)).toBe(true);
    }
  });

  it('gives sharp to ResizeImageFunction through the layer instead of the bundle', () => {
    // Prepare
    const { Resources } = loadTemplate();

    // Act
    const resize = Resources.ResizeImageFunction;
    const layer = Resources.SharpLayer;

    // Assess
    expect(resize.Properties!.Layers).toEqual([{ Ref: 'SharpLayer' }]);
    expect(resize.Metadata!.BuildProperties.External).toEqual(['sharp']);
    expect(layer.Properties!.ContentUri).toBe('layers/sharp');
    expect(layer.Properties!.CompatibleArchitectures).toEqual(['arm64']);
    expect(layer.Metadata!.BuildMethod).toBe('makefile');
  });

  it('stores an empty config by default, which means the one set of defaults that docs/contracts.md lists', () => {
    // Prepare
    const template = loadTemplate();
    const parameter = template.Resources.PipelineConfigParameter.Properties!;

    // Act
    const stored = checkAnalysisConfig(JSON.parse(template.Parameters!.PipelineConfig.Default as string));

    // Assess
    expect(parameter.Type).toBe('String');
    expect(parameter.Value).toEqual({ Ref: 'PipelineConfig' });
    expect(template.Parameters!.PipelineConfig.Default).toBe('{}');
    expect(stored.config).toEqual(DEFAULT_ANALYSIS_CONFIG);
    expect(DEFAULT_ANALYSIS_CONFIG).toEqual(contractJsonAfter('SSM config parameter (JSON string'));
  });

  it('keys the table and its indexes as docs/contracts.md describes', () => {
    // Prepare
    const table = loadTemplate().Resources.ImagesTable.Properties!;

    // Act
    const [global, owned] = table.GlobalSecondaryIndexes;

    // Assess
    expect(table.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ]);
    expect(global.IndexName).toBe('GSI1');
    expect(global.KeySchema).toEqual([
      { AttributeName: 'GSI1PK', KeyType: 'HASH' },
      { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
    ]);
    // The owner-scoped index sorts by the same attribute, so both orders are one by construction.
    expect(owned.IndexName).toBe('GSI2');
    expect(owned.KeySchema).toEqual([
      { AttributeName: 'GSI2PK', KeyType: 'HASH' },
      { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
    ]);
    for (const index of [global, owned]) expect(index.Projection).toEqual({ ProjectionType: 'ALL' });
  });

  it("alarms on failures, timeouts, throttling, dropped events and facts, and every function's errors", () => {
    // Prepare
    const alarms = Object.values(resourcesOfType(loadTemplate(), 'AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties!);

    // Act
    const watched = alarms
      .flatMap((alarm) => {
        const metrics = alarm.Metrics
          ? alarm.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric)
          : [{ MetricName: alarm.MetricName, Dimensions: alarm.Dimensions }];
        return metrics.map((metric: any) => `${metric.MetricName}:${JSON.stringify(metric.Dimensions[0].Value)}`);
      })
      .sort();

    // Assess
    expect(watched).toEqual(
      [
        'ApproximateNumberOfMessagesVisible:{"Fn::GetAtt":["TriggerFailureQueue","QueueName"]}',
        'ApproximateNumberOfMessagesVisible:{"Fn::GetAtt":["CleanUpFailureQueue","QueueName"]}',
        'ApproximateNumberOfMessagesVisible:{"Fn::GetAtt":["NotificationDeadLetterQueue","QueueName"]}',
        'ApproximateNumberOfMessagesVisible:{"Fn::GetAtt":["UnpublishedEventsQueue","QueueName"]}',
        'ApproximateNumberOfMessagesVisible:{"Fn::GetAtt":["AnalyticsDeadLetterQueue","QueueName"]}',
        ...Array(3).fill('FailedInvocations:{"Ref":"EventBus"}'),
        ...Array(3).fill('InvocationsFailedToBeSentToDlq:{"Ref":"EventBus"}'),
        'DeliveryToS3.DataFreshness:{"Ref":"AnalyticsDeliveryStream"}',
        'FailedConversion.Records:{"Ref":"AnalyticsDeliveryStream"}',
        'ExecutionsFailed:{"Ref":"ReprocessStateMachine"}',
        'ExecutionsTimedOut:{"Ref":"ReprocessStateMachine"}',
        ...ALARMED_FUNCTION_IDS.map((id) => `Errors:{"Ref":"${id}"}`),
        ...ALARMED_FUNCTION_IDS.map((id) => `Throttles:{"Ref":"${id}"}`),
        '5xx:{"Ref":"HttpApi"}',
        'AsyncEventsDropped:{"Ref":"TriggerStepFunctionFunction"}',
        'DestinationDeliveryFailures:{"Ref":"TriggerStepFunctionFunction"}',
        'ExecutionThrottled:{"Ref":"ImagePipelineStateMachine"}',
        'ExecutionsFailed:{"Ref":"ImagePipelineStateMachine"}',
        'ExecutionsTimedOut:{"Ref":"ImagePipelineStateMachine"}',
      ].sort(),
    );
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
  });

  it('pages on the first trigger error: a bad upload never makes the trigger fail', () => {
    // Act
    const alarm = loadTemplate().Resources.TriggerStepFunctionErrorsAlarm.Properties!;

    // Assess
    expect(alarm.Threshold).toBe(1);
  });

  it('offers reserved concurrency and a monthly budget as parameters, both off by default', () => {
    // Prepare
    const { Parameters, Resources, Conditions } = loadTemplate();

    // Act
    const reserved = ['ResizeImageFunction', 'RekognitionLabelsFunction', 'StoreMetadataFunction'].map(
      (id) => Resources[id].Properties!.ReservedConcurrentExecutions,
    );
    const budget = Resources.MonthlyCostBudget;

    // Assess
    expect(Parameters.FunctionConcurrencyLimit.Default).toBe(0);
    for (const value of reserved) {
      expect(value).toEqual({ 'Fn::If': ['HasConcurrencyLimit', { Ref: 'FunctionConcurrencyLimit' }, { Ref: 'AWS::NoValue' }] });
    }
    expect(Parameters.MonthlyBudgetUsd.Default).toBe(0);
    expect(budget.Condition).toBe('HasBudget');
    expect(Conditions!.HasBudget).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'MonthlyBudgetUsd' }, 0] }] });
    expect(budget.Properties!.NotificationsWithSubscribers.map((n: any) => n.Subscribers[0].Address)).toEqual([
      { Ref: 'AlarmTopic' },
      { Ref: 'AlarmTopic' },
    ]);
    expect(Resources.AlarmTopicPolicy.Properties!.PolicyDocument.Statement[0].Principal).toEqual({ Service: 'budgets.amazonaws.com' });
  });

  it('filters application logs at the LogLevel parameter, so DEBUG reaches CloudWatch when asked for', () => {
    // Prepare
    const { Globals, Resources } = loadTemplate();

    // Act
    const levels = FUNCTION_IDS.map(
      (id) => Resources[id].Properties!.LoggingConfig?.ApplicationLogLevel ?? Globals.Function.LoggingConfig.ApplicationLogLevel,
    );

    // Assess
    for (const level of levels) expect(level).toEqual({ Ref: 'LogLevel' });
    expect(Globals.Function.Environment.Variables.POWERTOOLS_LOG_LEVEL).toEqual({ Ref: 'LogLevel' });
  });

  it('turns source-mapped stack traces on only when asked, since they cost cold-start time', () => {
    // Prepare
    const { Globals, Parameters, Conditions } = loadTemplate();

    // Act
    const nodeOptions = Globals.Function.Environment.Variables.NODE_OPTIONS;

    // Assess
    expect(Parameters.EnableSourceMaps.Default).toBe('false');
    expect(Conditions!.SourceMapsEnabled).toEqual({ 'Fn::Equals': [{ Ref: 'EnableSourceMaps' }, 'true'] });
    expect(nodeOptions).toEqual({ 'Fn::If': ['SourceMapsEnabled', '--enable-source-maps', { Ref: 'AWS::NoValue' }] });
  });

  it('expires the raw Rekognition responses, by the tag the analysis step writes, after RawAnalysisRetentionDays', () => {
    // Prepare
    const { Resources, Parameters, Conditions } = loadTemplate();

    // Act
    const rules = Resources.ProcessedBucket.Properties!.LifecycleConfiguration.Rules as any[];
    const conditional = rules.find((rule) => rule['Fn::If']);
    const [condition, rule, otherwise] = conditional['Fn::If'];

    // Assess
    expect(condition).toBe('ExpiresRawAnalysis');
    expect(Conditions!.ExpiresRawAnalysis).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'RawAnalysisRetentionDays' }, 0] }] });
    expect(rule).toMatchObject({
      Status: 'Enabled',
      ExpirationInDays: { Ref: 'RawAnalysisRetentionDays' },
      TagFilters: [{ Key: RAW_ANALYSIS_TAG.key, Value: RAW_ANALYSIS_TAG.value }],
    });
    expect(otherwise).toEqual({ Ref: 'AWS::NoValue' });
    expect(Parameters.RawAnalysisRetentionDays.Default).toBeGreaterThan(0);
  });

  it('lets DynamoDB remove the DELETED items a removed upload leaves, by their expiresAt', () => {
    // Act
    const ttl = loadTemplate().Resources.ImagesTable.Properties!.TimeToLiveSpecification;

    // Assess
    expect(ttl).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });

  it("lets only this stack's uploads bucket invoke the clean-up, and sends its failed events to a queue with an alarm", () => {
    // Prepare
    const { Resources } = loadTemplate();

    // Act
    const permission = Resources.CleanUpImageS3Permission.Properties!;
    const fn = Resources.CleanUpImageFunction.Properties!;

    // Assess
    expect(permission).toMatchObject({
      Principal: 's3.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      FunctionName: { 'Fn::GetAtt': ['CleanUpImageFunction', 'Arn'] },
    });
    expect(permission.SourceArn).toEqual(Resources.TriggerStepFunctionS3Permission.Properties!.SourceArn);
    expect(fn.Environment.Variables.UPLOADS_BUCKET_NAME).toEqual(Resources.UploadsBucket.Properties!.BucketName);
    expect(fn.EventInvokeConfig.DestinationConfig.OnFailure.Destination).toEqual({ 'Fn::GetAtt': ['CleanUpFailureQueue', 'Arn'] });
  });

  it('retains the buckets and the table on stack deletion and replacement', () => {
    // Prepare
    const { Resources } = loadTemplate() as any;

    // Act
    const policies = ['UploadsBucket', 'ProcessedBucket', 'ImagesTable'].map((id) => [
      Resources[id].DeletionPolicy,
      Resources[id].UpdateReplacePolicy,
    ]);

    // Assess
    for (const pair of policies) expect(pair).toEqual(['Retain', 'Retain']);
  });

  it('outputs every name a client needs', () => {
    // Prepare
    const { Outputs } = loadTemplate();

    // Act
    const names = Object.keys(Outputs);

    // Assess
    expect(names).toEqual(
      expect.arrayContaining([
        'UploadsBucketName',
        'ProcessedBucketName',
        'ImagesTableName',
        'ImagePipelineStateMachineArn',
        'EventBusName',
        'EventBusArn',
        'EventSchemaRegistryName',
        'UnpublishedEventsQueueUrl',
        'NotificationDeadLetterQueueUrl',
        'AnalyticsDeadLetterQueueUrl',
        'TriggerFailureQueueUrl',
        'PipelineConfigParameterName',
        'WebUrl',
        'ApiUrl',
        'UserPoolId',
        'UserPoolClientId',
        'AuthDomainUrl',
        ...ESBUILD_FUNCTION_IDS.map((id) => `${id}Name`),
      ]),
    );
  });
});
