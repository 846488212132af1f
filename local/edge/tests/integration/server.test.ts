import { awsJsonProtocol } from '../../protocols/aws-json';
import { restXmlProtocol } from '../../protocols/rest-xml';
import { startEdgeServer, type EdgeServer } from '../../server';
import { matchSigningService, matchTarget } from '../../router';
import type { AwsProtocol } from '../../protocols/protocol';
import type { EdgeRequest, EdgeService } from '../../types';

/** A service that echoes what the router gave it, so the tests see routing and parsing. */
function echoService(name: string, protocol: AwsProtocol, matches: (req: EdgeRequest) => boolean): EdgeService {
  return {
    name,
    protocol,
    matches,
    handle: async (req) => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ service: name, target: req.target, signingService: req.signingService, bytes: req.body.length }),
    }),
  };
}

const sign = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=AK/20261125/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`;

describe('edge server', () => {
  let edge: EdgeServer;

  beforeAll(async () => {
    edge = await startEdgeServer({
      port: 0,
      maxBodyBytes: 1024,
      allowedOrigins: ['http://127.0.0.1:3000'],
      services: [
        echoService('dynamodb', awsJsonProtocol({ version: '1.0' }), matchTarget('DynamoDB_20120810.')),
        echoService('s3', restXmlProtocol, matchSigningService('s3')),
      ],
      faults: {},
    });
  });
  afterAll(() => edge.close());

  it('routes JSON protocols by X-Amz-Target and REST ones by signing service', async () => {
    // Act
    const dynamo = await fetch(edge.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'DynamoDB_20120810.GetItem', authorization: sign('dynamodb') },
      body: '{}',
    });
    const s3 = await fetch(`${edge.url}/bucket/key`, { method: 'PUT', headers: { authorization: sign('s3') }, body: 'abc' });

    // Assess
    expect(await dynamo.json()).toMatchObject({ service: 'dynamodb', target: 'DynamoDB_20120810.GetItem' });
    expect(await s3.json()).toMatchObject({ service: 's3', signingService: 's3', bytes: 3 });
  });

  it('binds the loopback interface only', () => {
    expect(edge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses a foreign browser origin and allows the console', async () => {
    // Act
    const foreign = await fetch(`${edge.url}/bucket/key`, { headers: { origin: 'http://evil.example', authorization: sign('s3') } });
    const consoleCall = await fetch(`${edge.url}/bucket/key`, { headers: { origin: 'http://127.0.0.1:3000', authorization: sign('s3') } });

    // Assess
    expect(foreign.status).toBe(403);
    expect(consoleCall.status).toBe(200);
    expect(consoleCall.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
  });

  it('refuses a cross-site no-cors load such as an <img> on another site', async () => {
    // Act
    const response = await fetch(`${edge.url}/bucket/key`, { headers: { 'sec-fetch-site': 'cross-site', authorization: sign('s3') } });

    // Assess
    expect(response.status).toBe(403);
  });

  it('answers a preflight for a presigned PUT from the console origin', async () => {
    // Act
    const response = await fetch(`${edge.url}/bucket/key?X-Amz-Signature=00`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:3000',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type',
      },
    });

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type');
  });

  it('gives S3 EntityTooLarge for a body over the cap', async () => {
    // Act
    const response = await fetch(`${edge.url}/bucket/key`, {
      method: 'PUT',
      headers: { authorization: sign('s3') },
      body: new Uint8Array(4096),
    });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>EntityTooLarge</Code>');
  });

  it('refuses a Host header that is not loopback (DNS rebinding)', async () => {
    // Act
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${edge.url}/`, { headers: { host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });

    // Assess
    expect(status).toBe(403);
  });

  it('answers an unrouted call with an UnknownOperationException in JSON 1.1', async () => {
    // Act
    const response = await fetch(edge.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'Nobody_20200101.Call', authorization: sign('nobody') },
      body: '{}',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(await response.json()).toMatchObject({ __type: 'com.amazonaws.local#UnknownOperationException' });
  });
});

describe('edge server with faults injected', () => {
  let edge: EdgeServer;

  beforeAll(async () => {
    const dynamodb = awsJsonProtocol({ version: '1.0', namespace: 'com.amazonaws.dynamodb.v20120810' });
    edge = await startEdgeServer({
      port: 0,
      services: [echoService('dynamodb', dynamodb, matchTarget('DynamoDB_20120810.'))],
      faults: { dynamodbWrite: 1 },
    });
  });
  afterAll(() => edge.close());

  it("answers an injected fault in the routed service's own protocol", async () => {
    // Act
    const response = await fetch(edge.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'DynamoDB_20120810.PutItem', authorization: sign('dynamodb') },
      body: '{}',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(await response.json()).toEqual({
      __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
      message: 'Injected by LOCAL_FAULTS dynamodb.write',
    });
  });
});
