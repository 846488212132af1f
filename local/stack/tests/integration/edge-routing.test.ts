import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetFunctionCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { consoleOrigins } from '../../../edge/cors';
import { AWS_CLI, awsCliAt } from '../../../edge/tests/support/aws-cli';
import { startLocalStack, type LocalStack } from '../..';

jest.setTimeout(60_000);

describe('the local stack: every service behind one edge endpoint', () => {
  let dataDir: string;
  let stack: LocalStack;
  const config = () => ({
    endpoint: stack.edgeUrl,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
  });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sip-stack-edge-'));
    // No vision models (they take seconds to load); Rekognition's routing is covered by the pipeline tests.
    stack = await startLocalStack({
      dataDir,
      edgePort: 0,
      withVision: false,
      recover: false,
      allowedOrigins: consoleOrigins(3000),
      logSink: () => undefined,
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('routes each SDK client to its service through the single endpoint', async () => {
    // Prepare
    const { processedBucket, tableName, topicArn, configParameterName, stateMachineArn } = stack.resources;

    // Act
    await new S3Client(config()).send(new PutObjectCommand({ Bucket: processedBucket, Key: 'routing/x.txt', Body: 'x' }));
    const object = await new S3Client(config()).send(new GetObjectCommand({ Bucket: processedBucket, Key: 'routing/x.txt' }));
    const tables = await new DynamoDBClient(config()).send(new ListTablesCommand({}));
    await new SNSClient(config()).send(new PublishCommand({ TopicArn: topicArn, Message: '{"type":"ImageProcessed"}' }));
    await new SNSClient(config()).send(new PublishCommand({ PhoneNumber: '+15555550100', Message: 'Your image was processed.' }));
    await new SESv2Client(config()).send(
      new SendEmailCommand({
        FromEmailAddress: 'a@example.com',
        Destination: { ToAddresses: ['b@example.com'] },
        Content: { Simple: { Subject: { Data: 'Done' }, Body: { Text: { Data: 'ok' } } } },
      }),
    );
    const parameter = await new SSMClient(config()).send(new GetParameterCommand({ Name: configParameterName }));
    const machines = await new SFNClient(config()).send(new ListStateMachinesCommand({}));
    const functions = await new LambdaClient(config()).send(new ListFunctionsCommand({}));
    const outbox = await stack.services.outbox.listOutbox();

    // Assess
    expect(await object.Body!.transformToString()).toBe('x');
    expect(tables.TableNames).toEqual([tableName]);
    expect(parameter.Parameter?.Value).toBe(stack.app.ssmParameters[0].value);
    expect(machines.stateMachines?.map((machine) => machine.stateMachineArn)).toContain(stateMachineArn);
    expect(machines.stateMachines?.map((machine) => machine.stateMachineArn).sort()).toEqual(
      stack.app.stateMachines.map((machine) => machine.arn).sort(),
    );
    expect(functions.Functions?.map((fn) => fn.FunctionName).sort()).toEqual(stack.app.functions.map((fn) => fn.name).sort());
    expect(outbox.items.map((item) => item.kind).sort()).toEqual(['email', 'sms', 'sns']);
  });

  it("answers each protocol's errors as the SDK's named exceptions", async () => {
    // Act
    const lambda = new LambdaClient(config()).send(new GetFunctionCommand({ FunctionName: 'NoSuchFunction' }));
    const ssm = new SSMClient(config()).send(new GetParameterCommand({ Name: '/no/such/parameter' }));
    const sns = new SNSClient(config()).send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:missing', Message: 'x' }));

    // Assess
    await expect(lambda).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    await expect(ssm).rejects.toMatchObject({ name: 'ParameterNotFound', $metadata: { httpStatusCode: 400 } });
    await expect(sns).rejects.toMatchObject({ name: 'NotFoundException', $metadata: { httpStatusCode: 404 } });
  });

  it('serves S3 path-style to an SDK client without forcePathStyle when the endpoint is an IP address', async () => {
    // Act
    await new S3Client(config()).send(new PutObjectCommand({ Bucket: stack.resources.processedBucket, Key: 'routing/ip.txt', Body: 'v' }));

    // Assess
    expect((await stack.services.s3.getObjectBytes(stack.resources.processedBucket, 'routing/ip.txt')).toString()).toBe('v');
  });

  it('reads the bucket from a <bucket>.localhost Host header (virtual-host style)', async () => {
    // Prepare
    const bucket = stack.resources.processedBucket;
    const port = new URL(stack.edgeUrl).port;

    // Act
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${stack.edgeUrl}/routing/vhost.txt`,
        {
          method: 'PUT',
          headers: {
            host: `${bucket}.localhost:${port}`,
            authorization: 'AWS4-HMAC-SHA256 Credential=a/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0',
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('v');
    });

    // Assess
    expect(status).toBe(200);
    expect((await stack.services.s3.getObjectBytes(bucket, 'routing/vhost.txt')).toString()).toBe('v');
  });

  // botocore parses every protocol with its own code, so the CLI proves the error documents apart from SDK v3.
  (AWS_CLI ? it : it.skip)('gives the AWS CLI the error code of every protocol', async () => {
    // Prepare
    const cli = awsCliAt(stack.edgeUrl, { AWS_MAX_ATTEMPTS: '1' });
    const errorOf = (...args: string[]) =>
      cli(...args).then(
        () => 'no error',
        (error: { stderr: string }) => /\(([A-Za-z.]+)\)/.exec(error.stderr)?.[1] ?? error.stderr,
      );
    const { processedBucket, stateMachineArn } = stack.resources;

    // Act
    const codes = await Promise.all([
      errorOf('s3api', 'get-object', '--bucket', processedBucket, '--key', 'missing', join(dataDir, 'out')),
      errorOf('dynamodb', 'describe-table', '--table-name', 'missing'),
      errorOf(
        'stepfunctions',
        'describe-execution',
        '--execution-arn',
        `${stateMachineArn.replace(':stateMachine:', ':execution:')}:missing`,
      ),
      errorOf('ssm', 'get-parameter', '--name', '/no/such/parameter'),
      errorOf('sns', 'publish', '--topic-arn', 'arn:aws:sns:us-east-1:000000000000:missing', '--message', 'x'),
      errorOf('lambda', 'get-function', '--function-name', 'NoSuchFunction'),
      errorOf(
        'sesv2',
        'send-email',
        '--from-email-address',
        'not-an-address',
        '--destination',
        'ToAddresses=b@example.com',
        '--content',
        'Simple={Subject={Data=s},Body={Text={Data=t}}}',
      ),
    ]);

    // Assess
    expect(codes).toEqual([
      'NoSuchKey',
      'ResourceNotFoundException',
      'ExecutionDoesNotExist',
      'ParameterNotFound',
      'NotFound',
      'ResourceNotFoundException',
      'BadRequestException',
    ]);
  });
});
