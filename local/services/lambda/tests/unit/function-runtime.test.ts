import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FunctionRuntime } from '../../function-runtime';
import type { LocalFunction } from '../../../../template/types';

const HANDLER = `
import { config } from './config';
class NotAnImageError extends Error { constructor(m: string) { super(m); this.name = 'NotAnImageError'; } }
export const handler = async (event: { mode: string }, context: { functionName: string; getRemainingTimeInMillis(): number }) => {
  if (event.mode === 'fail') throw new NotAnImageError('bytes are not an image');
  if (event.mode === 'hang') await new Promise((r) => setTimeout(r, 60_000));
  if (event.mode === 'slow') await new Promise((r) => setTimeout(r, 300));
  return { bucket: config.bucket, envNow: process.env.BUCKET_NAME, fn: context.functionName, endpoint: process.env.AWS_ENDPOINT_URL, remaining: context.getRemainingTimeInMillis() > 0 };
};`;
const CONFIG = `export const config = Object.freeze({ bucket: process.env.BUCKET_NAME });`;

function makeFunction(root: string, logicalId: string, bucket: string, timeoutSeconds = 3): LocalFunction {
  const codeDir = join(root, logicalId);
  mkdirSync(join(codeDir, 'src'), { recursive: true });
  writeFileSync(join(codeDir, 'src/handler.ts'), HANDLER);
  writeFileSync(join(codeDir, 'src/config.ts'), CONFIG);
  return {
    logicalId,
    name: `stack-${logicalId}`,
    arn: `arn:aws:lambda:us-east-1:000000000000:function:stack-${logicalId}`,
    codeDir,
    handler: 'handler.handler',
    entryPoints: ['src/handler.ts'],
    runtime: 'nodejs24.x',
    environment: { BUCKET_NAME: bucket },
    timeoutSeconds,
    memorySize: 256,
    s3Events: [],
    maximumRetryAttempts: 2,
  };
}

describe('FunctionRuntime', () => {
  const root = mkdtempSync(join(tmpdir(), 'sip-lambda-'));
  const endpoint = { edgeUrl: 'http://127.0.0.1:1', region: 'us-east-1', accountId: '000000000000', logSink: () => undefined };
  const runtimes: FunctionRuntime[] = [];
  afterAll(() => Promise.all(runtimes.map((r) => r.close())));

  it('gives each function its own environment at cold start and at invocation', async () => {
    // Prepare
    const a = new FunctionRuntime(makeFunction(root, 'AFunction', 'bucket-a'), endpoint);
    const b = new FunctionRuntime(makeFunction(root, 'BFunction', 'bucket-b'), endpoint);
    runtimes.push(a, b);

    // Act
    const [ra, rb] = await Promise.all([a.invoke({ mode: 'ok' }), b.invoke({ mode: 'ok' })]);

    // Assess
    expect(ra).toEqual({ bucket: 'bucket-a', envNow: 'bucket-a', fn: 'stack-AFunction', endpoint: 'http://127.0.0.1:1', remaining: true });
    expect(rb).toMatchObject({ bucket: 'bucket-b', envNow: 'bucket-b', fn: 'stack-BFunction' });
    expect(process.env.BUCKET_NAME).toBeUndefined();
  });

  it('throttles invocations beyond the reserved concurrency with TooManyRequestsException, and serves the next one', async () => {
    // Prepare
    const runtime = new FunctionRuntime({ ...makeFunction(root, 'LimitedFunction', 'l'), reservedConcurrency: 2 }, endpoint);
    runtimes.push(runtime);

    // Act
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map(() => runtime.invoke({ mode: 'slow' })));
    const after = await runtime.invoke({ mode: 'ok' });

    // Assess
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason)).toEqual([
      expect.objectContaining({ name: 'TooManyRequestsException', status: 429 }),
      expect.objectContaining({ name: 'TooManyRequestsException', status: 429 }),
    ]);
    expect(after).toMatchObject({ bucket: 'l' });
  });

  it('names the failure after the handler error, as Lambda does', async () => {
    // Prepare
    const runtime = new FunctionRuntime(makeFunction(root, 'CFunction', 'c'), endpoint);
    runtimes.push(runtime);

    // Act
    const failure = runtime.invoke({ mode: 'fail' });

    // Assess
    await expect(failure).rejects.toMatchObject({
      name: 'NotAnImageError',
      message: 'bytes are not an image',
      payload: { errorType: 'NotAnImageError' },
    });
  });

  it('ends an invocation that passes its Timeout with Sandbox.Timedout and recovers with a cold start', async () => {
    // Prepare
    const runtime = new FunctionRuntime(makeFunction(root, 'DFunction', 'd', 1), endpoint);
    runtimes.push(runtime);

    // Act
    const hung = runtime.invoke({ mode: 'hang' });

    // Assess
    await expect(hung).rejects.toMatchObject({
      name: 'Sandbox.Timedout',
      message: expect.stringContaining('Task timed out after 1.00 seconds'),
    });
    await expect(runtime.invoke({ mode: 'ok' })).resolves.toMatchObject({ bucket: 'd' });
  });
});
