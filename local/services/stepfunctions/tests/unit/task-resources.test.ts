import { LambdaFunctionError, throttledError } from '../../../lambda/errors';
import { buildTaskHandlers, type TaskInvokers } from '../../task-resources';

const DEFINITION = {
  StartAt: 'Resize',
  States: {
    Resize: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'fn', Payload: {} }, End: true },
  },
};

function handlersFailingWith(error: Error): Record<string, (input: unknown) => Promise<unknown>> {
  const invokers: TaskInvokers = {
    invokeLambda: async () => {
      throw error;
    },
    callSdk: async () => ({}),
  };
  return buildTaskHandlers(DEFINITION as never, invokers, 'us-east-1', () => undefined);
}

describe('lambda:invoke task errors', () => {
  it('names a throttled invoke Lambda.TooManyRequestsException, as Step Functions does, so the ASL retrier matches it', async () => {
    // Act
    const attempt = handlersFailingWith(throttledError()).Resize({ FunctionName: 'fn', Payload: {} });

    // Assess
    await expect(attempt).rejects.toMatchObject({
      name: 'Lambda.TooManyRequestsException',
      message: expect.stringContaining('Status Code: 429'),
    });
  });

  it("keeps a handler's own error name and puts Lambda's error document into the cause", async () => {
    // Act
    const attempt = handlersFailingWith(new LambdaFunctionError({ errorType: 'CorruptImageError', errorMessage: 'truncated' })).Resize({
      FunctionName: 'fn',
    });

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'CorruptImageError' });
    await expect(attempt).rejects.toMatchObject({
      message: JSON.stringify({ errorMessage: 'truncated', errorType: 'CorruptImageError', trace: [] }),
    });
  });
});
