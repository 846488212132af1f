import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { consoleOrigins, createDataServices, type DataServices } from '../../data-services';
import { startEdgeServer, type EdgeServer } from '../../server';

describe('all data services behind one edge', () => {
  let dataDir: string;
  let data: DataServices;
  let edge: EdgeServer;
  const config = () => ({ endpoint: edge.url, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'any', secretAccessKey: 'any' } });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sip-edge-'));
    data = await createDataServices({ dataDir });
    edge = await startEdgeServer({ port: 0, services: data.services, allowedOrigins: consoleOrigins(3000), faults: {} });
    await data.s3.createBucket('uploads', { versioning: true });
    await data.dynamodb.createTable({ TableName: 'images', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }] });
    await data.sns.createTopic('notifications');
    await data.ssm.putParameter({ Name: '/sip/config', Value: '{}' });
  });
  afterAll(async () => {
    await edge.close();
    await data.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('routes each SDK client to its service through the single endpoint', async () => {
    // Act
    await new S3Client({ ...config(), forcePathStyle: true }).send(new PutObjectCommand({ Bucket: 'uploads', Key: 'uploads/x.txt', Body: 'x' }));
    const object = await new S3Client({ ...config(), forcePathStyle: true }).send(new GetObjectCommand({ Bucket: 'uploads', Key: 'uploads/x.txt' }));
    const tables = await new DynamoDBClient(config()).send(new ListTablesCommand({}));
    await new SNSClient(config()).send(new PublishCommand({ TopicArn: data.sns.listTopics()[0], Message: '{"type":"ImageProcessed"}' }));
    await new SESv2Client(config()).send(new SendEmailCommand({ FromEmailAddress: 'a@example.com', Destination: { ToAddresses: ['b@example.com'] }, Content: { Simple: { Subject: { Data: 'Done' }, Body: { Text: { Data: 'ok' } } } } }));
    const parameter = await new SSMClient(config()).send(new GetParameterCommand({ Name: '/sip/config' }));
    const outbox = await data.outbox.listOutbox();

    // Assess
    expect(await object.Body!.transformToString()).toBe('x');
    expect(tables.TableNames).toEqual(['images']);
    expect(parameter.Parameter?.Value).toBe('{}');
    expect(outbox.items.map((item) => item.kind).sort()).toEqual(['email', 'sns']);
  });

  it('serves S3 path-style to an SDK client without forcePathStyle when the endpoint is an IP address', async () => {
    // Prepare
    const client = new S3Client(config());

    // Act
    await client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'uploads/ip.txt', Body: 'v' }));

    // Assess
    expect((await data.s3.getObjectBytes('uploads', 'uploads/ip.txt')).toString()).toBe('v');
  });

  it('reads the bucket from a <bucket>.localhost Host header (virtual-host style)', async () => {
    // Act
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${edge.url}/uploads/vhost.txt`, {
        method: 'PUT',
        headers: { host: `uploads.localhost:${edge.port}`, authorization: 'AWS4-HMAC-SHA256 Credential=a/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0' },
      }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('v');
    });

    // Assess
    expect(status).toBe(200);
    expect((await data.s3.getObjectBytes('uploads', 'uploads/vhost.txt')).toString()).toBe('v');
  });
});
