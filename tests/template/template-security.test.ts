import {
  videoAnalysisClipKey,
  videoPosterCapturesPrefix,
  videoRenditionKey,
  videoSpriteKey,
  videoHlsKey,
  videoThumbnailCapturesPrefix,
} from '@smart-image-pipeline/contracts';
import { DETECTORS } from '../../functions/rekognition-labels/src/detectors';
import {
  asArray,
  inlineStatements,
  loadAslText,
  loadTemplate,
  policyTemplateNames,
  readRepoFile,
  resourcesOfType,
  Statement,
} from './support/template';

/**
 * Policy templates whose expansion (samtranslator's policy_templates.json) has exact actions on the named
 * resource only. Not allowed, and why: SSMParameterReadPolicy adds ssm:DescribeParameters on "*",
 * SQSSendMessagePolicy grants "sqs:SendMessage*", S3WritePolicy/S3CrudPolicy add s3:PutLifecycleConfiguration.
 */
const SCOPED_POLICY_TEMPLATES = new Set(['EventBridgePutEventsPolicy', 'StepFunctionsExecutionPolicy', 'LambdaInvokePolicy']);

/** The Rekognition actions of the analysis function's detector registry, one per detector. */
const REGISTRY_ACTIONS = [...new Set(DETECTORS.map((detector) => detector.iamAction))].sort();

/** What grouping faces into people calls on the stack's face collection, and that collection's ARN. */
const FACE_COLLECTION_ACTIONS = ['rekognition:DeleteFaces', 'rekognition:IndexFaces', 'rekognition:ListFaces', 'rekognition:SearchFaces'];
const FACE_COLLECTION_ARN = { 'Fn::GetAtt': ['FaceCollection', 'Arn'] };

/** The only action sets that may use Resource "*": the services have no resource-level permissions for them. */
const WILDCARD_RESOURCE_ACTIONS: string[][] = [
  REGISTRY_ACTIONS,
  [
    'logs:CreateLogDelivery',
    'logs:DeleteLogDelivery',
    'logs:DescribeLogGroups',
    'logs:DescribeResourcePolicies',
    'logs:GetLogDelivery',
    'logs:ListLogDeliveries',
    'logs:PutResourcePolicy',
    'logs:UpdateLogDelivery',
  ],
  // SNS has no resource for a phone number; the same role denies publishing to any topic.
  ['sns:Publish'],
  // Rekognition Video's stored-video APIs (issue 14).
  [
    'rekognition:GetContentModeration',
    'rekognition:GetLabelDetection',
    'rekognition:StartContentModeration',
    'rekognition:StartLabelDetection',
  ],
  // The mediaconvert:createJob.sync integration: Step Functions' documented policy (partial resource-level support).
  ['mediaconvert:CancelJob', 'mediaconvert:CreateJob', 'mediaconvert:GetJob'],
  // The review decision (ApiFunction): the Service Authorization Reference for Step Functions lists no resource type
  // for SendTaskSuccess, SendTaskFailure or SendTaskHeartbeat; the task token itself names the task.
  ['states:SendTaskSuccess'],
];

/** How the template spells the uploads bucket's name where a reference would close a dependency cycle. */
const UPLOADS_BUCKET_NAME = 'sip-uploads-${AWS::AccountId}-${AWS::Region}-${StackSuffix}';
const UPLOADS_BUCKET_SUFFIX = {
  StackSuffix: { 'Fn::Select': [0, { 'Fn::Split': ['-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }] }] },
};

/**
 * What each pipeline function may do, action by action and resource by resource: exactly the calls its code makes
 * (docs/contracts.md), on the prefixes it touches. S3ReadPolicy (whole bucket) and DynamoDBCrudPolicy (Scan,
 * UpdateItem, batch calls, indexes) granted more; a change here must be a change in what the code calls.
 */
const EXPECTED_ACCESS: Record<string, { actions: string[]; resources: unknown[] }[]> = {
  ResizeImageFunction: [
    { actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [{ 'Fn::Sub': '${UploadsBucket.Arn}/uploads/*' }] },
    { actions: ['s3:ListBucket'], resources: [{ 'Fn::GetAtt': ['UploadsBucket', 'Arn'] }] },
    { actions: ['s3:PutObject'], resources: [{ 'Fn::Sub': '${ProcessedBucket.Arn}/images/*' }] },
  ],
  RekognitionLabelsFunction: [
    {
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resources: [{ 'Fn::Sub': '${UploadsBucket.Arn}/uploads/*' }, { 'Fn::Sub': '${ProcessedBucket.Arn}/images/*/analysis.jpg' }],
    },
    { actions: ['s3:PutObject', 's3:PutObjectTagging'], resources: [{ 'Fn::Sub': '${ProcessedBucket.Arn}/images/*/rekognition/*' }] },
    {
      actions: ['ssm:GetParameter'],
      resources: [{ 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${PipelineConfigParameter}' }],
    },
    // Near-duplicate reuse: the hash bands in GSI1 (read-only), then the candidate's image item.
    { actions: ['dynamodb:Query'], resources: [{ 'Fn::Sub': '${ImagesTable.Arn}/index/GSI1' }] },
    { actions: ['dynamodb:GetItem'], resources: [{ 'Fn::GetAtt': ['ImagesTable', 'Arn'] }] },
    { actions: WILDCARD_RESOURCE_ACTIONS[0], resources: ['*'] },
    // groupFacesIntoPeople: the stack's face collection only, and the face records under IMAGE# keys (and the owner's
    // people lock under PEOPLE# keys).
    { actions: FACE_COLLECTION_ACTIONS, resources: [FACE_COLLECTION_ARN] },
    {
      actions: ['dynamodb:BatchGetItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:Query'],
      resources: [{ 'Fn::GetAtt': ['ImagesTable', 'Arn'] }],
    },
  ],
  CleanUpImageFunction: [
    {
      actions: ['s3:GetObject'],
      resources: [{ 'Fn::Sub': [`arn:\${AWS::Partition}:s3:::${UPLOADS_BUCKET_NAME}/uploads/*`, UPLOADS_BUCKET_SUFFIX] }],
    },
    {
      actions: ['s3:ListBucket'],
      resources: [{ 'Fn::Sub': [`arn:\${AWS::Partition}:s3:::${UPLOADS_BUCKET_NAME}`, UPLOADS_BUCKET_SUFFIX] }],
    },
    { actions: ['s3:ListBucket'], resources: [{ 'Fn::GetAtt': ['ProcessedBucket', 'Arn'] }] },
    { actions: ['s3:DeleteObject', 's3:GetObject'], resources: [{ 'Fn::Sub': '${ProcessedBucket.Arn}/images/*' }] },
    {
      actions: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
      resources: [{ 'Fn::GetAtt': ['ImagesTable', 'Arn'] }],
    },
    { actions: ['rekognition:DeleteFaces', 'rekognition:ListFaces'], resources: [FACE_COLLECTION_ARN] },
  ],
  StoreMetadataFunction: [
    {
      actions: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
      resources: [{ 'Fn::GetAtt': ['ImagesTable', 'Arn'] }],
    },
  ],
  NotifyUserFunction: [
    { actions: ['cognito-idp:AdminGetUser'], resources: [{ 'Fn::GetAtt': ['UserPool', 'Arn'] }] },
    {
      actions: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      resources: [{ 'Fn::GetAtt': ['ImagesTable', 'Arn'] }],
    },
    {
      actions: ['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage', 'sqs:SendMessage'],
      resources: [{ 'Fn::GetAtt': ['NotificationQueue', 'Arn'] }],
    },
    { actions: ['ses:SendEmail'], resources: [{ 'Fn::Sub': 'arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*' }] },
    { actions: ['sns:Publish'], resources: ['*'] },
    { actions: ['sns:Publish'], resources: [{ 'Fn::Sub': 'arn:${AWS::Partition}:sns:*:*:*' }] },
  ],
  // Reads images only (the table writes are the caller's preferences item and person items, under PEOPLE#); presigns
  // uploads into uploads/ and GETs of variants only; the runs.
  ApiFunction: [
    { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [{ 'Fn::GetAtt': ['ImagesTable', 'Arn'] }] },
    {
      actions: ['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
      resources: [{ 'Fn::GetAtt': ['ImagesTable', 'Arn'] }],
    },
    {
      actions: ['dynamodb:BatchGetItem', 'dynamodb:Query'],
      resources: [
        { 'Fn::GetAtt': ['ImagesTable', 'Arn'] },
        { 'Fn::Sub': '${ImagesTable.Arn}/index/GSI1' },
        { 'Fn::Sub': '${ImagesTable.Arn}/index/GSI2' },
      ],
    },
    { actions: ['s3:PutObject'], resources: [{ 'Fn::Sub': '${UploadsBucket.Arn}/uploads/*' }] },
    { actions: ['s3:GetObject'], resources: [{ 'Fn::Sub': '${ProcessedBucket.Arn}/images/*/w*' }] },
    {
      actions: ['s3:GetObject'],
      resources: [
        { 'Fn::Sub': '${ProcessedBucket.Arn}/images/*/video/rendition.mp4' },
        { 'Fn::Sub': '${ProcessedBucket.Arn}/images/*/video/frame-poster.*' },
        { 'Fn::Sub': '${ProcessedBucket.Arn}/images/*/video/sprite.jpg' },
        { 'Fn::Sub': '${ProcessedBucket.Arn}/images/*/video/hls/*' },
      ],
    },
    {
      actions: ['states:DescribeStateMachine', 'states:ListExecutions', 'states:StartExecution'],
      resources: [{ Ref: 'ImagePipelineStateMachine' }],
    },
    {
      actions: ['states:DescribeExecution', 'states:GetExecutionHistory', 'states:RedriveExecution'],
      resources: [
        { 'Fn::Sub': 'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:${ImagePipelineStateMachine.Name}:*' },
      ],
    },
    { actions: ['states:SendTaskSuccess'], resources: ['*'] },
    // GET /analytics: Athena in the analytics workgroup, the facts table's definition, the facts, the results.
    {
      actions: ['athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StartQueryExecution'],
      resources: [{ 'Fn::Sub': 'arn:${AWS::Partition}:athena:${AWS::Region}:${AWS::AccountId}:workgroup/${AnalyticsWorkGroup}' }],
    },
    {
      actions: ['glue:GetDatabase', 'glue:GetTable'],
      resources: [
        { 'Fn::Sub': 'arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:catalog' },
        { 'Fn::Sub': 'arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:database/${AnalyticsDatabase}' },
        { 'Fn::Sub': 'arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:table/${AnalyticsDatabase}/${AnalyticsFactsTable}' },
      ],
    },
    { actions: ['s3:GetBucketLocation', 's3:ListBucket'], resources: [{ 'Fn::GetAtt': ['AnalyticsBucket', 'Arn'] }] },
    { actions: ['s3:GetObject'], resources: [{ 'Fn::Sub': '${AnalyticsBucket.Arn}/facts/*' }] },
    {
      actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
      resources: [{ 'Fn::Sub': '${AnalyticsBucket.Arn}/athena-results/*' }],
    },
    // Reprocessing: start and list runs; one run's status (its executions only) and its results manifest counts.
    { actions: ['states:ListExecutions', 'states:StartExecution'], resources: [{ Ref: 'ReprocessStateMachine' }] },
    {
      actions: ['states:DescribeExecution'],
      resources: [{ 'Fn::Sub': 'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:${ReprocessStateMachine.Name}:*' }],
    },
    { actions: ['s3:GetObject'], resources: [{ 'Fn::Sub': '${ProcessedBucket.Arn}/reprocess/results/*' }] },
    {
      actions: ['ssm:GetParameter'],
      resources: [{ 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${PipelineConfigParameter}' }],
    },
  ],
  ModerationReviewFunction: [
    { actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [{ 'Fn::GetAtt': ['ImagesTable', 'Arn'] }] },
    { actions: ['s3:DeleteObject'], resources: [{ 'Fn::Sub': '${ProcessedBucket.Arn}/images/*' }] },
  ],
  WebDeployFunction: [
    { actions: ['s3:DeleteObject', 's3:PutObject'], resources: [{ 'Fn::Sub': '${WebBucket.Arn}/*' }] },
    { actions: ['s3:ListBucket'], resources: [{ 'Fn::GetAtt': ['WebBucket', 'Arn'] }] },
  ],
  ProbeVideoFunction: [
    { actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [{ 'Fn::Sub': '${UploadsBucket.Arn}/uploads/*' }] },
    { actions: ['s3:ListBucket'], resources: [{ 'Fn::GetAtt': ['UploadsBucket', 'Arn'] }] },
  ],
  ComposeVideoThumbnailsFunction: [
    { actions: ['s3:ListBucket'], resources: [{ 'Fn::GetAtt': ['ProcessedBucket', 'Arn'] }] },
    { actions: ['s3:GetObject'], resources: [{ 'Fn::Sub': '${ProcessedBucket.Arn}/images/*/video/frame-*' }] },
    { actions: ['s3:PutObject'], resources: [{ 'Fn::Sub': '${ProcessedBucket.Arn}/images/*/video/sprite.jpg' }] },
  ],
  RekognitionVideoFunction: [
    {
      actions: ['s3:GetObject'],
      resources: [
        { 'Fn::Sub': '${ProcessedBucket.Arn}/images/*/video/rendition.mp4' },
        { 'Fn::Sub': '${ProcessedBucket.Arn}/images/*/video/analysis.mp4' },
      ],
    },
    { actions: ['s3:PutObject', 's3:PutObjectTagging'], resources: [{ 'Fn::Sub': '${ProcessedBucket.Arn}/images/*/rekognition/*' }] },
    {
      actions: ['ssm:GetParameter'],
      resources: [{ 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${PipelineConfigParameter}' }],
    },
    { actions: WILDCARD_RESOURCE_ACTIONS[3], resources: ['*'] },
  ],
};

type Named<T> = [string, T];

function policiesOfRoles(): Named<unknown[]>[] {
  const template = loadTemplate();
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Serverless::Function' || resource.Type === 'AWS::Serverless::StateMachine')
    .map(([id, resource]) => [id, (resource.Properties?.Policies ?? []) as unknown[]]);
}

function allowStatements(): Named<Statement>[] {
  const template = loadTemplate();
  const fromRoles = policiesOfRoles().flatMap(([id, policies]) =>
    inlineStatements(policies).map((statement): Named<Statement> => [id, statement]),
  );
  const fromBuckets = Object.entries(resourcesOfType(template, 'AWS::S3::BucketPolicy')).flatMap(([id, policy]) =>
    (policy.Properties!.PolicyDocument.Statement as Statement[]).map((statement): Named<Statement> => [id, statement]),
  );
  return [...fromRoles, ...fromBuckets].filter(([, statement]) => statement.Effect === 'Allow');
}

describe('template security', () => {
  it('grants no wildcard action in any Allow statement', () => {
    // Prepare
    const statements = allowStatements();

    // Act
    const wildcardActions = statements.flatMap(([id, statement]) =>
      asArray(statement.Action)
        .filter((action) => action.includes('*'))
        .map((action) => `${id}: ${action}`),
    );

    // Assess
    expect(statements.length).toBeGreaterThan(5);
    expect(wildcardActions).toEqual([]);
  });

  it('uses Resource "*" only for actions without resource-level permissions', () => {
    // Prepare
    const statements = allowStatements();

    // Act
    const offenders = statements
      .filter(([, statement]) => asArray(statement.Resource as unknown).some((resource) => resource === '*'))
      .map(([id, statement]) => [id, [...asArray(statement.Action)].sort()] as const)
      .filter(([, actions]) => !WILDCARD_RESOURCE_ACTIONS.some((allowed) => JSON.stringify(allowed) === JSON.stringify(actions)));

    // Assess
    expect(offenders).toEqual([]);
  });

  it('grants the analysis functions exactly their Rekognition actions (the detector registry; the video jobs), and no other role any', () => {
    // Prepare
    const statements = allowStatements().filter(([, statement]) => asArray(statement.Resource as unknown).includes('*'));

    // Act
    const rekognitionActions = statements.flatMap(([id, statement]) =>
      asArray(statement.Action)
        .filter((action) => action.startsWith('rekognition:'))
        .map((action) => `${id}: ${action}`),
    );

    // Assess
    expect(REGISTRY_ACTIONS).toContain('rekognition:DetectLabels');
    expect(rekognitionActions.sort()).toEqual([
      ...REGISTRY_ACTIONS.map((action) => `RekognitionLabelsFunction: ${action}`),
      ...WILDCARD_RESOURCE_ACTIONS[3].map((action) => `RekognitionVideoFunction: ${action}`),
    ]);
  });

  it("scopes every face-collection action to the stack's one collection: the analysis step indexes, searches and deletes, CleanUpImage only deletes", () => {
    // Prepare
    const statements = allowStatements().filter(([, statement]) => !asArray(statement.Resource as unknown).includes('*'));

    // Act
    const collectionGrants = statements.flatMap(([id, statement]) =>
      asArray(statement.Action)
        .filter((action) => action.startsWith('rekognition:'))
        .map((action) => ({ grant: `${id}: ${action}`, resources: asArray(statement.Resource as unknown) })),
    );

    // Assess
    expect(collectionGrants.map(({ grant }) => grant).sort()).toEqual([
      'CleanUpImageFunction: rekognition:DeleteFaces',
      'CleanUpImageFunction: rekognition:ListFaces',
      ...FACE_COLLECTION_ACTIONS.map((action) => `RekognitionLabelsFunction: ${action}`),
    ]);
    for (const { resources } of collectionGrants) expect(resources).toEqual([FACE_COLLECTION_ARN]);
    expect(loadTemplate().Resources.FaceCollection.Type).toBe('AWS::Rekognition::Collection');
  });

  it('lets only the notifier send e-mail, as the configured sender, on identity/* so the sandbox recipient check passes too (issue 12, finding 1)', () => {
    // Prepare
    const { Resources } = loadTemplate();
    const policies = Resources.NotifyUserFunction.Properties!.Policies as any[];

    // Act
    const [condition, whenSet, whenUnset] = policies.find((policy) => policy['Fn::If']?.[0] === 'HasEmailSender')['Fn::If'];
    const [statement] = whenSet.Statement as (Statement & { Condition: unknown })[];
    const otherSenders = allowStatements().filter(
      ([id, other]) => id !== 'NotifyUserFunction' && asArray(other.Action).some((action) => action.startsWith('ses:')),
    );

    // Assess
    expect(condition).toBe('HasEmailSender');
    expect(whenUnset).toEqual({ Ref: 'AWS::NoValue' });
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Action: ['ses:SendEmail'],
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*' },
      Condition: { StringEquals: { 'ses:FromAddress': { Ref: 'NotificationEmailSender' } } },
    });
    expect(otherSenders).toEqual([]);
  });

  it('lets the API write only per-user items of the table (the preferences, the people items), never an image item', () => {
    // Prepare
    const statements = inlineStatements(loadTemplate().Resources.ApiFunction.Properties!.Policies) as (Statement & { Condition?: any })[];

    // Act
    const writes = statements.filter((statement) =>
      asArray(statement.Action).some((action) => /^dynamodb:(Put|Update|Delete)/.test(String(action))),
    );

    // Assess
    expect(writes.map((statement) => statement.Sid)).toEqual(['OwnPreferences', 'OwnPeople']);
    expect(writes[0].Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['USER#*'] } });
    expect(writes[1].Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PEOPLE#*'] } });
  });

  it('lets the API sign exactly the video outputs the console shows: the keys StoreMetadata records and the HLS ladder, not the raw responses or the clip', () => {
    // Prepare
    const statement = inlineStatements(loadTemplate().Resources.ApiFunction.Properties!.Policies).find(
      (candidate) => candidate.Sid === 'PresignVideoOutputs',
    )!;
    const patterns = asArray(statement.Resource).map((resource) => {
      const glob = String((resource as { 'Fn::Sub': string })['Fn::Sub']).replace('${ProcessedBucket.Arn}/', '');
      return new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    });
    const signed = (key: string) => patterns.some((pattern) => pattern.test(key));
    const [id, revision] = ['a'.repeat(32), 'r1'];

    // Assess
    expect(signed(videoRenditionKey(id, revision))).toBe(true);
    expect(signed(`${videoPosterCapturesPrefix(id, revision)}0000001.jpg`)).toBe(true);
    expect(signed(videoSpriteKey(id, revision))).toBe(true);
    expect(signed(videoHlsKey(id, revision))).toBe(true);
    expect(signed(`${videoHlsKey(id, revision).replace(/index\.m3u8$/, '')}index_720p_00001.ts`)).toBe(true);
    expect(signed(videoAnalysisClipKey(id, revision))).toBe(false);
    expect(signed(`${videoThumbnailCapturesPrefix(id, revision)}0000001.jpg`)).toBe(false);
    expect(signed(`images/${id}/${revision}/video/rekognition/get-label-detection.json`)).toBe(false);
  });

  it('limits the notifier to the per-user items of the table and keeps its SMS grant off every topic', () => {
    // Prepare
    const statements = inlineStatements(loadTemplate().Resources.NotifyUserFunction.Properties!.Policies) as (Statement & {
      Condition?: any;
    })[];

    // Act
    const table = statements.find((statement) => statement.Sid === 'UserNotificationItems')!;
    const sms = loadTemplate().Resources.NotifyUserFunction.Properties!.Policies.find((policy: any) => policy['Fn::If']?.[0] === 'SmsOn')[
      'Fn::If'
    ];

    // Assess
    expect(table.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['USER#*'] } });
    expect(sms[2]).toEqual({ Ref: 'AWS::NoValue' });
    expect(sms[1].Statement.map((statement: any) => [statement.Effect, statement.Action, statement.Resource])).toEqual([
      ['Allow', ['sns:Publish'], '*'],
      ['Deny', ['sns:Publish'], { 'Fn::Sub': 'arn:${AWS::Partition}:sns:*:*:*' }],
    ]);
  });

  it('lets only the notification rule of this stack send to the notification queue and its DLQ', () => {
    // Prepare
    const policy = loadTemplate().Resources.NotificationQueuePolicy.Properties!;

    // Act
    const [statement] = policy.PolicyDocument.Statement;

    // Assess
    expect(policy.Queues).toEqual([{ Ref: 'NotificationQueue' }, { Ref: 'NotificationDeadLetterQueue' }]);
    expect(policy.PolicyDocument.Statement).toHaveLength(1);
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: [{ 'Fn::GetAtt': ['NotificationQueue', 'Arn'] }, { 'Fn::GetAtt': ['NotificationDeadLetterQueue', 'Arn'] }],
      Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': ['NotifyOwnerRule', 'Arn'] } } },
    });
  });

  it('declares no recipient of its own: no DefaultRecipient, no allowed-domain list, nothing an upload can name (issue 12, finding 3)', () => {
    // Prepare
    const text = readRepoFile('template.yaml');

    // Act
    const parameters = Object.keys(loadTemplate().Parameters);

    // Assess
    expect(parameters).not.toEqual(expect.arrayContaining(['DefaultRecipient']));
    expect(parameters.filter((name) => /Recipient/.test(name))).toEqual([]);
    expect(text).not.toMatch(/RECIPIENT|notify-email/);
  });

  it.each(Object.keys(EXPECTED_ACCESS))('grants %s exactly the actions its code calls, on the prefixes it touches', (functionId) => {
    // Prepare
    const policies = loadTemplate().Resources[functionId].Properties!.Policies as unknown[];

    // Act
    const granted = inlineStatements(policies)
      .map((statement) => ({ actions: [...asArray(statement.Action)].sort(), resources: asArray(statement.Resource as unknown) }))
      .sort((a, b) => a.actions.join().localeCompare(b.actions.join()));
    const expected = EXPECTED_ACCESS[functionId]
      .map((entry) => ({ actions: [...entry.actions].sort(), resources: entry.resources }))
      .sort((a, b) => a.actions.join().localeCompare(b.actions.join()));

    // Assess
    expect(policyTemplateNames(policies)).toEqual([]);
    expect(granted).toEqual(expected);
  });

  it('uses only SAM policy templates that stay on the named resource', () => {
    // Prepare
    const roles = policiesOfRoles();

    // Act
    const used = roles.flatMap(([id, policies]) => policyTemplateNames(policies).map((name) => `${id}: ${name}`));
    const unscoped = used.filter((entry) => !SCOPED_POLICY_TEMPLATES.has(entry.split(': ')[1]));

    // Assess
    expect(used.length).toBeGreaterThan(3);
    expect(unscoped).toEqual([]);
  });

  it('passes every policy template a reference to a resource of this stack, never a literal', () => {
    // Prepare
    const roles = policiesOfRoles();

    // Act
    const literalArguments = roles.flatMap(([id, policies]) =>
      (policies as any[])
        .filter((policy) => typeof policy === 'object' && !policy.Statement && !policy['Fn::If'])
        .flatMap((policy) =>
          Object.entries(policy).flatMap(([name, args]) =>
            Object.entries(args as object)
              .filter(([, value]) => typeof value === 'string')
              .map(([argument]) => `${id}: ${name}.${argument}`),
          ),
        ),
    );

    // Assess
    expect(literalArguments).toEqual([]);
  });

  it.each(['UploadsBucket', 'ProcessedBucket', 'WebBucket'])('keeps %s private, encrypted and owner-enforced', (bucketId) => {
    // Prepare
    const bucket = loadTemplate().Resources[bucketId];

    // Act
    const properties = bucket.Properties!;

    // Assess
    expect(bucket.Type).toBe('AWS::S3::Bucket');
    expect(properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toMatch(
      /^(AES256|aws:kms|aws:kms:dsse)$/,
    );
    expect(properties.OwnershipControls.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
  });

  it('gives every bucket a policy that denies requests without TLS on the bucket and its objects', () => {
    // Prepare
    const template = loadTemplate();
    const buckets = Object.keys(resourcesOfType(template, 'AWS::S3::Bucket'));
    const policies = Object.values(resourcesOfType(template, 'AWS::S3::BucketPolicy'));

    // Act
    const bucketsWithTlsOnly = buckets.filter((bucketId) =>
      policies.some((policy) => {
        const properties = policy.Properties!;
        return (
          properties.Bucket?.Ref === bucketId &&
          (properties.PolicyDocument.Statement as any[]).some(
            (statement) =>
              statement.Effect === 'Deny' &&
              statement.Principal === '*' &&
              asArray(statement.Action).includes('s3:*') &&
              statement.Condition?.Bool?.['aws:SecureTransport'] === 'false' &&
              JSON.stringify(statement.Resource).includes(`{"Fn::GetAtt":["${bucketId}","Arn"]}`) &&
              JSON.stringify(statement.Resource).includes(`\${${bucketId}.Arn}/*`),
          )
        );
      }),
    );

    // Assess
    expect([...buckets].sort()).toEqual(['AnalyticsBucket', 'ProcessedBucket', 'UploadsBucket', 'WebBucket']);
    expect(bucketsWithTlsOnly).toEqual(buckets);
  });

  it('versions the uploads bucket so each re-upload is a new revision', () => {
    // Prepare
    const bucket = loadTemplate().Resources.UploadsBucket;

    // Act
    const versioning = bucket.Properties!.VersioningConfiguration;

    // Assess
    expect(versioning).toEqual({ Status: 'Enabled' });
  });

  it('encrypts the table and every queue, keeps point-in-time recovery on, and has no topic but the alarm topic', () => {
    // Prepare
    const { Resources } = loadTemplate();

    // Act
    const table = Resources.ImagesTable.Properties!;

    // Assess
    expect(table.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.SSESpecification).toEqual({ SSEEnabled: true });
    expect(
      Object.values(resourcesOfType(loadTemplate(), 'AWS::SQS::Queue')).every((queue) => queue.Properties!.SqsManagedSseEnabled === true),
    ).toBe(true);
    expect(resourcesOfType(loadTemplate(), 'AWS::SNS::Topic')).toEqual({ AlarmTopic: expect.anything() });
  });

  it('holds no secret-looking strings in the template, samconfig or state machine', () => {
    // Prepare
    const texts = { 'template.yaml': readRepoFile('template.yaml'), 'samconfig.toml': readRepoFile('samconfig.toml'), asl: loadAslText() };
    const secretPatterns = [
      /\b(AKIA|ASIA)[0-9A-Z]{16}\b/,
      /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
      /aws_secret_access_key|SecretAccessKey/i,
      /\b[A-Za-z0-9/+]{40}\b/,
    ];

    // Act
    const hits = Object.entries(texts).flatMap(([name, text]) =>
      secretPatterns.filter((pattern) => pattern.test(text)).map((pattern) => `${name}: ${pattern}`),
    );

    // Assess
    expect(hits).toEqual([]);
    expect(secretPatterns[0].test('key AKIAABCDEFGHIJKLMNOP here')).toBe(true);
  });
});
