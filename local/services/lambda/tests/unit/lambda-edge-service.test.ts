import { join } from 'node:path';
import { answerWith } from '../../../../edge/router';
import { LambdaRuntime } from '../../lambda-runtime';
import { loadLocalApp } from '../../../../template';
import { lambdaEdgeService } from '../../lambda-edge-service';

const app = loadLocalApp({ rootDir: join(__dirname, '..', '..', '..', '..', '..') });
const runtime = new LambdaRuntime(app, { edgeUrl: 'http://127.0.0.1:1', region: 'us-east-1', accountId: '000000000000' });
const service = lambdaEdgeService(runtime, () => undefined);

const get = async (path: string) => {
  const response = await answerWith(service, {
    method: 'GET',
    url: new URL(`http://edge.local${path}`),
    headers: {},
    body: Buffer.alloc(0),
    signingService: 'lambda',
  });
  return { status: response.status, json: JSON.parse(String(response.body)) as Record<string, unknown> };
};

afterAll(() => runtime.close());

describe('lambdaEdgeService descriptions', () => {
  it('lists every template function with its resolved environment (aws lambda list-functions)', async () => {
    // Act
    const listed = await get('/2015-03-31/functions/');

    // Assess
    const functions = listed.json.Functions as { FunctionName: string; Environment: { Variables: Record<string, string> } }[];
    expect(listed.status).toBe(200);
    expect(functions.map((f) => f.FunctionName).sort()).toEqual(app.functions.map((f) => f.name).sort());
    expect(functions[0].Environment.Variables).toEqual(app.functions[0].environment);
  });

  it('describes one function by logical ID or name, and answers 404 ResourceNotFoundException for an unknown one', async () => {
    // Prepare
    const fn = app.functions[0];

    // Act
    const byName = await get(`/2015-03-31/functions/${fn.name}`);
    const configuration = await get(`/2015-03-31/functions/${fn.logicalId}/configuration`);
    const missing = await get('/2015-03-31/functions/Nope');

    // Assess
    expect(byName.json).toMatchObject({ Configuration: { FunctionArn: fn.arn, Timeout: fn.timeoutSeconds } });
    expect(configuration.json).toMatchObject({ FunctionName: fn.name, MemorySize: fn.memorySize });
    expect(missing.status).toBe(404);
  });
});
