import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handlerSource, loadLocalApp } from '../../index';

const TEMPLATE = `
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
    Default: dev
  SenderEmail:
    Type: String
    Default: ''
Conditions:
  HasSender: !Not [!Equals [!Ref SenderEmail, '']]
Globals:
  Function:
    Runtime: nodejs24.x
    Timeout: 30
    Environment:
      Variables:
        POWERTOOLS_LOG_LEVEL: INFO
        POWERTOOLS_SERVICE_NAME: global
Resources:
  UploadsBucket:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: { Status: Enabled }
  ProcessedBucket:
    Type: AWS::S3::Bucket
  ImagesTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - { AttributeName: PK, AttributeType: S }
        - { AttributeName: SK, AttributeType: S }
      KeySchema:
        - { AttributeName: PK, KeyType: HASH }
        - { AttributeName: SK, KeyType: RANGE }
      GlobalSecondaryIndexes:
        - IndexName: GSI1
          KeySchema: [{ AttributeName: PK, KeyType: HASH }]
          Projection: { ProjectionType: ALL }
  NotificationTopic:
    Type: AWS::SNS::Topic
  TriggerFailureQueue:
    Type: AWS::SQS::Queue
  PipelineConfigParameter:
    Type: AWS::SSM::Parameter
    Properties:
      Name: !Sub /\${AWS::StackName}/\${Stage}/config
      Type: String
      Value: '{"maxLabels": 10}'
  TriggerStepFunctionFunction:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: esbuild
      BuildProperties: { EntryPoints: [src/handler.ts] }
    Properties:
      CodeUri: functions/trigger
      Handler: handler.handler
      ReservedConcurrentExecutions: !If [HasSender, 3, !Ref AWS::NoValue]
      Environment:
        Variables:
          POWERTOOLS_SERVICE_NAME: trigger
          STATE_MACHINE_ARN: !Ref ImagePipelineStateMachine
          CONFIG: !GetAtt PipelineConfigParameter.Value
          SENDER: !If [HasSender, !Ref SenderEmail, !Ref AWS::NoValue]
          QUEUE: !GetAtt TriggerFailureQueue.Arn
      EventInvokeConfig:
        MaximumRetryAttempts: 2
        DestinationConfig:
          OnFailure: { Type: SQS, Destination: !GetAtt TriggerFailureQueue.Arn }
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref UploadsBucket
            Events: s3:ObjectCreated:*
            Filter: { S3Key: { Rules: [{ Name: prefix, Value: uploads/ }] } }
  ImagePipelineStateMachine:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: statemachine/pipeline.asl.json
      DefinitionSubstitutions:
        TriggerStepFunctionFunctionArn: !GetAtt TriggerStepFunctionFunction.Arn
        TopicArn: !Ref NotificationTopic
        Joined: !Join ['-', [a, !Select [1, [x, y]], !Sub '\${ProcessedBucket}']]
Outputs:
  UploadsBucketName:
    Value: !Ref UploadsBucket
`;

function writeProject(samconfig?: string): string {
  const root = mkdtempSync(join(tmpdir(), 'sip-template-'));
  writeFileSync(join(root, 'template.yaml'), TEMPLATE);
  mkdirSync(join(root, 'statemachine'));
  writeFileSync(
    join(root, 'statemachine/pipeline.asl.json'),
    JSON.stringify({
      StartAt: 'A',
      States: {
        A: { Type: 'Task', Resource: '${TriggerStepFunctionFunctionArn}', Parameters: { T: '${TopicArn}', J: '${Joined}' }, End: true },
      },
    }),
  );
  mkdirSync(join(root, 'functions/trigger/src'), { recursive: true });
  writeFileSync(join(root, 'functions/trigger/src/handler.ts'), 'export const handler = async () => 1;');
  if (samconfig) writeFileSync(join(root, 'samconfig.toml'), samconfig);
  return root;
}

describe('loadLocalApp', () => {
  it('names resources after the samconfig stack and resolves Sub, GetAtt, If and Globals', () => {
    // Prepare
    const root = writeProject(
      'version = 0.1\n[default.deploy.parameters]\nstack_name = "My-Stack"\nparameter_overrides = "Stage=prod SenderEmail=\\"a@b.c\\""\n',
    );

    // Act
    const app = loadLocalApp({ rootDir: root });

    // Assess
    expect(app.buckets).toEqual([
      {
        logicalId: 'UploadsBucket',
        name: 'my-stack-uploadsbucket',
        arn: 'arn:aws:s3:::my-stack-uploadsbucket',
        versioned: true,
        lifecycleRules: [],
      },
      {
        logicalId: 'ProcessedBucket',
        name: 'my-stack-processedbucket',
        arn: 'arn:aws:s3:::my-stack-processedbucket',
        versioned: false,
        lifecycleRules: [],
      },
    ]);
    expect(app.ssmParameters[0]).toMatchObject({ name: '/My-Stack/prod/config', value: '{"maxLabels": 10}' });
    const fn = app.functions[0];
    expect(fn.environment).toEqual({
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_SERVICE_NAME: 'trigger',
      STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:ImagePipelineStateMachine',
      CONFIG: '{"maxLabels": 10}',
      SENDER: 'a@b.c',
      QUEUE: 'arn:aws:sqs:us-east-1:000000000000:My-Stack-TriggerFailureQueue',
    });
    expect(fn.reservedConcurrency).toBe(3);
    expect(fn).toMatchObject({
      timeoutSeconds: 30,
      runtime: 'nodejs24.x',
      onFailureDestination: 'arn:aws:sqs:us-east-1:000000000000:My-Stack-TriggerFailureQueue',
    });
    expect(fn.s3Events).toEqual([
      {
        name: 'Upload',
        bucketLogicalId: 'UploadsBucket',
        bucketName: 'my-stack-uploadsbucket',
        events: ['s3:ObjectCreated:*'],
        prefix: 'uploads/',
        suffix: '',
      },
    ]);
    expect(handlerSource(fn).file).toBe(join(root, 'functions/trigger/src/handler.ts'));
    expect(app.outputs.UploadsBucketName).toBe('my-stack-uploadsbucket');
  });

  it('applies DefinitionSubstitutions and drops a variable whose condition is false', () => {
    // Prepare
    const root = writeProject();

    // Act
    const app = loadLocalApp({ rootDir: root });

    // Assess
    const state = (app.stateMachines[0].definition.States as Record<string, { Resource: string; Parameters: Record<string, string> }>).A;
    expect(state.Resource).toBe('arn:aws:lambda:us-east-1:000000000000:function:smart-image-pipeline-TriggerStepFunctionFunction');
    expect(state.Parameters).toEqual({
      T: 'arn:aws:sns:us-east-1:000000000000:smart-image-pipeline-NotificationTopic',
      J: 'a-y-smart-image-pipeline-processedbucket',
    });
    expect(app.functions[0].environment).not.toHaveProperty('SENDER');
    expect(app.functions[0].reservedConcurrency).toBeUndefined();
    expect(app.tables[0]).toMatchObject({
      name: 'smart-image-pipeline-ImagesTable',
      keySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
    });
    expect(app.tables[0].globalSecondaryIndexes).toHaveLength(1);
  });
});
