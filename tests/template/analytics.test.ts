import {
  ANALYTICS_CHARTS,
  analyticsFactSchema,
  namedQueryText,
  factFromEvent,
  failedFactSchema,
  flaggedFactSchema,
  processedFactSchema,
  pipelineEventSchema,
} from '@smart-image-pipeline/contracts';
import { matchesEventPattern } from '../../local/services/events/event-pattern';
import { applyInputTransformer } from '../../local/services/events/input-transformer';
import { loadTemplate, readRepoFile, type Statement } from './support/template';

const template = loadTemplate();
const resources = template.Resources;
const example = (name: string): any => JSON.parse(readRepoFile(`packages/contracts/event-schemas/examples/${name}.json`));
const statementsOf = (roleId: string): Statement[] =>
  resources[roleId].Properties!.Policies.flatMap((policy: any) => policy.PolicyDocument.Statement);

describe('analytics in the template', () => {
  it.each([
    ['AnalyticsProcessedFactsRule', 'image-processed'],
    ['AnalyticsFailedFactsRule', 'image-failed'],
    ['AnalyticsFlaggedFactsRule', 'image-flagged'],
  ])('%s turns %s, and only that event, into the fact factFromEvent builds', (ruleId, name) => {
    // Prepare
    const rule = resources[ruleId].Properties!;
    const event = example(name);
    const others = ['image-processed', 'image-failed', 'image-flagged'].filter((other) => other !== name).map(example);

    // Act
    const fact = JSON.parse(applyInputTransformer(rule.Targets[0].InputTransformer, event));

    // Assess
    expect(matchesEventPattern(rule.EventPattern, event)).toBe(true);
    expect(others.map((other) => matchesEventPattern(rule.EventPattern, other))).toEqual([false, false]);
    expect(analyticsFactSchema.parse(fact)).toEqual(fact);
    expect(fact).toEqual(factFromEvent(pipelineEventSchema.parse(event)));
    expect(rule.Targets[0]).toMatchObject({
      Arn: { 'Fn::GetAtt': ['AnalyticsDeliveryStream', 'Arn'] },
      RoleArn: { 'Fn::GetAtt': ['AnalyticsRuleRole', 'Arn'] },
    });
  });

  it.each([
    ['AnalyticsProcessedFactsRule', 'image-processed'],
    ['AnalyticsFailedFactsRule', 'image-failed'],
  ])('%s writes an event published before versions and step times as a fact with empty version and null times', (ruleId, name) => {
    // Prepare
    const event = example(name);
    delete event.detail.pipelineVersion;
    delete event.detail.stepDurations;

    // Act
    const fact = JSON.parse(applyInputTransformer(resources[ruleId].Properties!.Targets[0].InputTransformer, event));

    // Assess
    expect(fact).toMatchObject({
      pipelineVersion: '',
      resolveVersionMs: null,
      resizeMs: null,
      analyseMs: null,
      transcodeMs: null,
      videoAnalysisMs: null,
      storeMs: null,
    });
    expect(analyticsFactSchema.parse(fact)).toEqual(fact);
    expect(fact).toEqual(factFromEvent(pipelineEventSchema.parse(event)));
  });

  it.each([
    ['AnalyticsProcessedFactsRule', 'image-processed'],
    ['AnalyticsFailedFactsRule', 'image-failed'],
  ])('%s writes a video run’s step times, and null for them from an event published before they were timed', (ruleId, name) => {
    // Prepare
    const video = example(name);
    Object.assign(video.detail.stepDurations, { transcodeMs: 41_200, videoAnalysisMs: 95_000 });
    const older = example(name);
    delete older.detail.stepDurations.transcodeMs;
    delete older.detail.stepDurations.videoAnalysisMs;
    const transformer = resources[ruleId].Properties!.Targets[0].InputTransformer;

    // Act
    const [videoFact, olderFact] = [video, older].map((event) => JSON.parse(applyInputTransformer(transformer, event)));

    // Assess
    expect(videoFact).toMatchObject({ transcodeMs: 41_200, videoAnalysisMs: 95_000 });
    expect(olderFact).toMatchObject({ transcodeMs: null, videoAnalysisMs: null });
    expect(videoFact).toEqual(factFromEvent(pipelineEventSchema.parse(video)));
    expect(olderFact).toEqual(factFromEvent(pipelineEventSchema.parse(older)));
    expect(analyticsFactSchema.parse(olderFact)).toEqual(olderFact);
  });

  it('carries the version and each step time of an event into its fact', () => {
    // Act
    const processed = JSON.parse(
      applyInputTransformer(resources.AnalyticsProcessedFactsRule.Properties!.Targets[0].InputTransformer, example('image-processed')),
    );
    const failed = JSON.parse(
      applyInputTransformer(resources.AnalyticsFailedFactsRule.Properties!.Targets[0].InputTransformer, example('image-failed')),
    );

    // Assess
    expect(processed).toMatchObject({ pipelineVersion: 'v1', resolveVersionMs: 38, resizeMs: 612, analyseMs: 1480, storeMs: 95 });
    expect(failed).toMatchObject({ pipelineVersion: 'v2', resolveVersionMs: 41, resizeMs: null, analyseMs: null, storeMs: null });
  });

  it('keeps every label of a processed image and an empty label list as a list', () => {
    // Prepare
    const event = example('image-processed');
    event.detail.labels = [];
    const rule = resources.AnalyticsProcessedFactsRule.Properties!;

    // Act
    const fact = JSON.parse(applyInputTransformer(rule.Targets[0].InputTransformer, event));

    // Assess
    expect(fact.labels).toEqual([]);
    expect(processedFactSchema.parse(fact)).toEqual(fact);
  });

  it('declares one Glue column for every fact field (lower case), partitioned by day with projection', () => {
    // Prepare
    const table = resources.AnalyticsFactsTable.Properties!.TableInput;
    const fields = new Set(
      [processedFactSchema, failedFactSchema, flaggedFactSchema].flatMap((schema) =>
        Object.keys(schema.shape).map((key) => key.toLowerCase()),
      ),
    );

    // Act
    const columns = table.StorageDescriptor.Columns.map((column: { Name: string }) => column.Name);

    // Assess
    expect(new Set(columns)).toEqual(fields);
    expect(columns).toHaveLength(fields.size);
    expect(table.PartitionKeys).toEqual([{ Name: 'dt', Type: 'string' }]);
    expect(table.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
    });
    expect(table.Parameters['storage.location.template']).toEqual({ 'Fn::Sub': 's3://${AnalyticsBucket}/facts/dt=${!dt}/' });
  });

  it('delivers the facts as Parquet into one folder per day, converting through the Glue table', () => {
    // Act
    const { ExtendedS3DestinationConfiguration: s3 } = resources.AnalyticsDeliveryStream.Properties!;

    // Assess
    expect(s3.Prefix).toBe('facts/dt=!{timestamp:yyyy-MM-dd}/');
    expect(s3.ErrorOutputPrefix).toContain('!{firehose:error-output-type}');
    expect(s3.BufferingHints.SizeInMBs).toBeGreaterThanOrEqual(64);
    expect(s3.CompressionFormat).toBe('UNCOMPRESSED');
    expect(s3.DataFormatConversionConfiguration).toMatchObject({
      Enabled: true,
      OutputFormatConfiguration: { Serializer: { ParquetSerDe: { Compression: 'SNAPPY' } } },
      SchemaConfiguration: {
        DatabaseName: { Ref: 'AnalyticsDatabase' },
        TableName: { Ref: 'AnalyticsFactsTable' },
        RoleARN: { 'Fn::GetAtt': ['AnalyticsDeliveryRole', 'Arn'] },
      },
    });
    expect(resources.AnalyticsDeliveryStream.Properties!.DeliveryStreamEncryptionConfigurationInput).toEqual({ KeyType: 'AWS_OWNED_CMK' });
  });

  it('lets the delivery stream write the bucket and read the table schema, nothing more', () => {
    // Act
    const role = resources.AnalyticsDeliveryRole.Properties!;

    // Assess
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'firehose.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'AWS::AccountId' } } },
      },
    ]);
    expect(statementsOf('AnalyticsDeliveryRole')).toEqual([
      {
        Sid: 'WriteFacts',
        Effect: 'Allow',
        Action: [
          's3:AbortMultipartUpload',
          's3:GetBucketLocation',
          's3:GetObject',
          's3:ListBucket',
          's3:ListBucketMultipartUploads',
          's3:PutObject',
        ],
        Resource: [{ 'Fn::GetAtt': ['AnalyticsBucket', 'Arn'] }, { 'Fn::Sub': '${AnalyticsBucket.Arn}/*' }],
      },
      {
        Sid: 'ReadFactsSchema',
        Effect: 'Allow',
        Action: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
        Resource: [
          { 'Fn::Sub': 'arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:catalog' },
          { 'Fn::Sub': 'arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:database/${AnalyticsDatabase}' },
          { 'Fn::Sub': 'arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:table/${AnalyticsDatabase}/${AnalyticsFactsTable}' },
        ],
      },
      {
        Sid: 'LogDeliveryErrors',
        Effect: 'Allow',
        Action: 'logs:PutLogEvents',
        Resource: { 'Fn::GetAtt': ['AnalyticsDeliveryLogGroup', 'Arn'] },
      },
    ]);
  });

  it('lets the analytics rules put records on the delivery stream only', () => {
    // Act
    const role = resources.AnalyticsRuleRole.Properties!;

    // Assess
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
    expect(statementsOf('AnalyticsRuleRole')).toEqual([
      {
        Sid: 'PutFacts',
        Effect: 'Allow',
        Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
        Resource: { 'Fn::GetAtt': ['AnalyticsDeliveryStream', 'Arn'] },
      },
    ]);
  });

  it('names an Athena query for each question, in the analytics workgroup, reading only table columns', () => {
    // Prepare
    const columns = new Set<string>([
      'dt',
      ...resources.AnalyticsFactsTable.Properties!.TableInput.StorageDescriptor.Columns.map((column: { Name: string }) => column.Name),
    ]);
    const queries = Object.values(resources)
      .filter((resource) => resource.Type === 'AWS::Athena::NamedQuery')
      .map((resource) => resource.Properties!);

    // Act
    const names = queries.map((query) => query.Name).sort();

    // Assess
    expect(names).toEqual([...ANALYTICS_CHARTS].sort());
    for (const query of queries) {
      expect(query).toMatchObject({ Database: { Ref: 'AnalyticsDatabase' }, WorkGroup: { Ref: 'AnalyticsWorkGroup' } });
      // The API's query of the same name over the last 7 days: one implementation.
      expect(query.QueryString).toBe(namedQueryText(query.Name));
      expect(query.QueryString).toMatch(/\bFROM facts\b/);
      expect(query.QueryString).toMatch(/\bdt >= /);
      const fieldsRead = [
        ...String(query.QueryString).matchAll(
          /\b(facttype|failurereason|labels|analysed|format|bytesin|bytesout|rekognition[a-z]+|width|height|owner|status|moderationlabels|[a-z]+at)\b/g,
        ),
      ].map((match) => match[1]);
      expect(fieldsRead.filter((field) => !columns.has(field))).toEqual([]);
    }
    expect(resources.AnalyticsWorkGroup.Properties!.WorkGroupConfiguration).toMatchObject({
      EnforceWorkGroupConfiguration: true,
      ResultConfiguration: {
        OutputLocation: { 'Fn::Sub': 's3://${AnalyticsBucket}/athena-results/' },
        EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
      },
    });
  });

  it('has a dashboard whose body is JSON once CloudFormation substitutes it, naming only resources of the stack', () => {
    // Prepare
    const body: string = resources.PipelineDashboard.Properties!.DashboardBody['Fn::Sub'];

    // Act
    const widgets = JSON.parse(body.replace(/\$\{[A-Za-z0-9:.]+\}/g, 'x')).widgets as unknown[];
    const referenced = [...body.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((match) => match[1]);

    // Assess
    expect(widgets.length).toBeGreaterThan(0);
    for (const logicalId of referenced) expect(resources[logicalId]).toBeDefined();
  });
});
