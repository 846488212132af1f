import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LambdaRuntime } from '../../lambda-runtime';
import type { LocalApp, LocalFunction } from '../../../../template/types';
import { AsyncInvoker, failureQueueFile } from '../../async-invoker';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:stack-TriggerFailureQueue';

function appWith(root: string, body: string): LocalApp {
  const codeDir = join(root, 'fn');
  mkdirSync(codeDir, { recursive: true });
  writeFileSync(join(codeDir, 'handler.ts'), body);
  const fn: LocalFunction = {
    logicalId: 'TriggerFunction',
    name: 'stack-TriggerFunction',
    arn: 'arn:aws:lambda:us-east-1:000000000000:function:stack-TriggerFunction',
    codeDir,
    handler: 'handler.handler',
    entryPoints: ['handler.ts'],
    runtime: 'nodejs24.x',
    environment: { COUNTER_FILE: join(root, 'calls') },
    timeoutSeconds: 3,
    memorySize: 256,
    s3Events: [],
    onFailureDestination: QUEUE_ARN,
    maximumRetryAttempts: 2,
  };
  return {
    functions: [fn],
    pseudo: { region: 'us-east-1', accountId: '000000000000', stackName: 'stack', partition: 'aws' },
  } as unknown as LocalApp;
}

describe('AsyncInvoker', () => {
  it('retries a failing asynchronous invoke twice, then records the event on the failure queue', async () => {
    // Prepare
    const root = mkdtempSync(join(tmpdir(), 'sip-async-'));
    const app = appWith(
      root,
      `import { appendFileSync } from 'node:fs';
      class StartExecutionFailedError extends Error { name = 'StartExecutionFailedError'; }
      export const handler = async () => { appendFileSync(process.env.COUNTER_FILE as string, 'x'); throw new StartExecutionFailedError('throttled'); };`,
    );
    const runtime = new LambdaRuntime(app, {
      edgeUrl: 'http://127.0.0.1:1',
      region: 'us-east-1',
      accountId: '000000000000',
      logSink: () => undefined,
    });
    const invoker = new AsyncInvoker(runtime, root, 10);

    // Act
    invoker.invoke(app.functions[0], { Records: ['one'] });
    await invoker.drain();
    await runtime.close();

    // Assess
    expect(readFileSync(join(root, 'calls'), 'utf8')).toBe('xxx');
    const [line] = readFileSync(failureQueueFile(root, QUEUE_ARN), 'utf8').trim().split('\n');
    expect(JSON.parse(line)).toMatchObject({
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { Records: ['one'] },
      responsePayload: { errorType: 'StartExecutionFailedError', errorMessage: 'throttled' },
    });
  });
});
