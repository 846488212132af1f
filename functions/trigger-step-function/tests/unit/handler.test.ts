import type { SFNClient } from '@aws-sdk/client-sfn';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { loadTriggerEvent } from './support/events';

const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:ImagePipeline';
/** The uploads bucket the sample events in events/trigger-step-function name. */
const EVENTS_BUCKET = 'smart-image-pipeline-uploads-123456789012';
const savedEnv = { ...process.env };

type Sfn = typeof import('@aws-sdk/client-sfn');
type Loaded = {
  handler: typeof import('../../src/handler').handler;
  sfn: Sfn;
  sfnMock: AwsClientStub<SFNClient>;
  errors: typeof import('../../src/errors');
};

// The handler reads its config at import, as on a cold start, so each test loads a fresh module
// registry; the SDK and the error classes must come from that same registry.
function loadHandler(env: Record<string, string | undefined>): Loaded {
  process.env = { ...savedEnv, POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_REGION: 'eu-west-1', UPLOADS_BUCKET_NAME: EVENTS_BUCKET, ...env };
  let loaded: Loaded | undefined;
  jest.isolateModules(() => {
    const sfn = require('@aws-sdk/client-sfn') as Sfn;
    const sfnMock = mockClient(sfn.SFNClient);
    sfnMock
      .on(sfn.StartExecutionCommand)
      .resolves({ executionArn: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:x`, startDate: new Date() });
    const errors = require('../../src/errors') as typeof import('../../src/errors');
    const { handler } = require('../../src/handler') as typeof import('../../src/handler');
    loaded = { handler, sfn, sfnMock, errors };
  });
  return loaded as Loaded;
}

function startCalls(loaded: Loaded): { stateMachineArn?: string }[] {
  return loaded.sfnMock.commandCalls(loaded.sfn.StartExecutionCommand).map((call) => call.args[0].input);
}

afterAll(() => {
  process.env = savedEnv;
});

describe('handler', () => {
  it('starts an execution for the plain upload event and returns the summary', async () => {
    // Prepare
    const loaded = loadHandler({ STATE_MACHINE_ARN });

    // Act
    const summary = await loaded.handler(loadTriggerEvent('s3-put'));

    // Assess
    expect(summary).toMatchObject({ started: 1, duplicates: 0, skipped: 0 });
    expect(startCalls(loaded)[0]?.stateMachineArn).toBe(STATE_MACHINE_ARN);
  });

  it('honours UPLOADS_PREFIX from the environment', async () => {
    // Prepare
    const loaded = loadHandler({ STATE_MACHINE_ARN, UPLOADS_PREFIX: 'exports/' });

    // Act
    const summary = await loaded.handler(loadTriggerEvent('s3-put-outside-prefix'));

    // Assess
    expect(summary).toMatchObject({ started: 1, skipped: 0 });
  });

  it('throws InvalidS3EventError for a payload that is not an S3 event', async () => {
    // Prepare
    const loaded = loadHandler({ STATE_MACHINE_ARN });

    // Act
    const run = loaded.handler({ hello: 'world' });

    // Assess
    await expect(run).rejects.toBeInstanceOf(loaded.errors.InvalidS3EventError);
    expect(startCalls(loaded)).toHaveLength(0);
  });

  it('fails at cold start with ConfigurationError when STATE_MACHINE_ARN is missing', () => {
    // Act
    const load = () => loadHandler({ STATE_MACHINE_ARN: undefined });

    // Assess
    expect(load).toThrow(expect.objectContaining({ name: 'ConfigurationError', message: expect.stringContaining('STATE_MACHINE_ARN') }));
  });
});
