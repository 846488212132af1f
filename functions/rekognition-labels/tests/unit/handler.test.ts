import { sectionItems } from '@smart-image-pipeline/contracts';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { events, responses } from './fixtures';

type RekognitionSdk = typeof import('@aws-sdk/client-rekognition');
type S3Sdk = typeof import('@aws-sdk/client-s3');
type SsmSdk = typeof import('@aws-sdk/client-ssm');
type HandlerModule = typeof import('../../src/handler');

const ENV = {
  PROCESSED_BUCKET_NAME: 'smart-image-pipeline-processed-example',
  CONFIG_PARAMETER_NAME: '/smart-image-pipeline/test/rekognition-config',
  IMAGES_TABLE_NAME: 'smart-image-pipeline-images-example',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  AWS_REGION: 'eu-west-1',
};

const context = {
  functionName: 'RekognitionLabelsFunction',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:RekognitionLabelsFunction',
  memoryLimitInMB: '512',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/RekognitionLabelsFunction',
  logStreamName: '2026/11/25/[$LATEST]abcdef',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

/**
 * Loads the handler as a cold start with the given environment. The SDK modules are loaded in the same
 * isolated registry, so the mocks stub exactly the client classes the handler's clients.ts uses.
 */
function coldStart(env: Record<string, string | undefined> = ENV) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete process.env[name];
  let loaded: { handler: HandlerModule['handler']; rk: RekognitionSdk; s3: S3Sdk; ssm: SsmSdk } | undefined;
  try {
    jest.isolateModules(() => {
      const rk = require('@aws-sdk/client-rekognition') as RekognitionSdk;
      const s3 = require('@aws-sdk/client-s3') as S3Sdk;
      const ssm = require('@aws-sdk/client-ssm') as SsmSdk;
      const { handler } = require('../../src/handler') as HandlerModule;
      loaded = { handler, rk, s3, ssm };
    });
  } finally {
    process.env = saved;
  }
  const { handler, rk, s3, ssm } = loaded!;
  const mocks = { rekognition: mockClient(rk.RekognitionClient), s3: mockClient(s3.S3Client), ssm: mockClient(ssm.SSMClient) };
  mocks.ssm
    .on(ssm.GetParameterCommand)
    .resolves({ Parameter: { Name: ENV.CONFIG_PARAMETER_NAME, Type: 'String', Value: '{}', Version: 1 } });
  mocks.rekognition.on(rk.DetectLabelsCommand).resolves(responses.labelsPerson());
  mocks.rekognition.on(rk.DetectModerationLabelsCommand).resolves(responses.moderationPerson());
  mocks.rekognition.on(rk.DetectFacesCommand).resolves(responses.faces());
  mocks.rekognition.on(rk.DetectTextCommand).resolves(responses.text());
  mocks.s3.on(s3.PutObjectCommand).resolves({ ETag: '"9b2cf535f27731c974343645a3985328"' });
  return { handler, rk, s3, ssm, mocks };
}

describe('handler', () => {
  it('analyses the person event with all four calls and writes four raw responses', async () => {
    // Prepare
    const { handler, s3, mocks } = coldStart();

    // Act
    const summary = await handler(events.person(), context);

    // Assess
    expect(summary.calls).toEqual(['DetectLabels', 'DetectModerationLabels', 'DetectFaces', 'DetectText']);
    expect(sectionItems(summary, 'labels')[0].name).toBe('Person');
    expect(sectionItems(summary, 'text').map((line) => line.name)).toEqual(['SUMMER SALE', 'UP TO 50% OFF']);
    const puts = mocks.s3.commandCalls(s3.PutObjectCommand).map((call) => call.args[0].input);
    expect(puts.map((put) => put.Key).sort()).toEqual(Object.values(summary.rawKeys).sort());
    expect(puts.every((put) => put.Bucket === ENV.PROCESSED_BUCKET_NAME && put.ContentType === 'application/json')).toBe(true);
  });

  it('analyses the landscape event with DetectLabels only, colours and quality coming from ResizeImage', async () => {
    // Prepare
    const { handler, rk, mocks } = coldStart();
    mocks.rekognition.on(rk.DetectLabelsCommand).resolves(responses.labelsLandscape());
    mocks.rekognition.on(rk.DetectModerationLabelsCommand).resolves(responses.moderationLandscape());

    // Act
    const summary = await handler(events.landscape(), context);

    // Assess
    expect(mocks.rekognition.commandCalls(rk.DetectFacesCommand)).toHaveLength(0);
    expect(mocks.rekognition.commandCalls(rk.DetectTextCommand)).toHaveLength(0);
    expect(mocks.rekognition.commandCalls(rk.DetectModerationLabelsCommand)).toHaveLength(0);
    expect(mocks.rekognition.commandCalls(rk.DetectLabelsCommand)[0].args[0].input.Features).toEqual(['GENERAL_LABELS']);
    expect(summary.skipped).toEqual({
      DetectModerationLabels: 'no moderation-like label',
      DetectFaces: 'no person-like label',
      DetectText: 'no text-like label',
    });
    expect(summary.sections.imageProperties.detector).toBe('ResizeImage');
    expect(sectionItems(summary, 'imageProperties')[0]).toEqual({
      name: 'skyblue',
      attributes: { hex: '#87bee6', simplifiedColor: 'blue', pixelPercent: 34.9 },
    });
    expect(summary.sections.moderation).toBeUndefined();
  });

  it('reads the SSM parameter once across warm invocations', async () => {
    // Prepare
    const { handler, ssm, mocks } = coldStart();

    // Act
    await handler(events.landscape(), context);
    await handler(events.landscape(), context);
    await handler(events.person(), context);

    // Assess
    const reads = mocks.ssm.commandCalls(ssm.GetParameterCommand);
    expect(reads).toHaveLength(1);
    expect(reads[0].args[0].input.Name).toBe(ENV.CONFIG_PARAMETER_NAME);
  });

  it('lets ThrottlingException from Rekognition reach the state machine under its name', async () => {
    // Prepare
    const { handler, rk, mocks } = coldStart();
    mocks.rekognition
      .on(rk.DetectLabelsCommand)
      .rejects(new rk.ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }));

    // Act
    const result = handler(events.person(), context);

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded' });
  });

  it('fails with InvalidConfigError when the SSM parameter holds an invalid config', async () => {
    // Prepare
    const { handler, ssm, mocks } = coldStart();
    mocks.ssm
      .on(ssm.GetParameterCommand)
      .resolves({ Parameter: { Name: ENV.CONFIG_PARAMETER_NAME, Type: 'String', Value: '{"minTriggerConfidence":"high"}' } });

    // Act
    const result = handler(events.person(), context);

    // Assess
    await expect(result).rejects.toMatchObject({
      name: 'InvalidConfigError',
      message: `Invalid config in SSM parameter ${ENV.CONFIG_PARAMETER_NAME}: minTriggerConfidence must be a number from 0 to 100 (got "high")`,
    });
    expect(mocks.rekognition.calls()).toHaveLength(0);
  });

  it('rejects an input without ids or image with InvalidAnalysisInputError naming each field', async () => {
    // Prepare
    const { handler, mocks } = coldStart();
    const input = { ...events.person(), imageId: '../../etc', image: { key: 'uploads/x.jpg', versionId: 5 } };

    // Act
    const result = handler(input, context);

    // Assess
    await expect(result).rejects.toMatchObject({
      name: 'InvalidAnalysisInputError',
      message:
        'Invalid AnalyseImage input: imageId must be 32 lowercase hex; image.bucket must be a non-empty string; image.versionId must be a string or null',
    });
    expect(mocks.rekognition.calls()).toHaveLength(0);
  });

  it('logs the image id, bucket, key and execution ARN, and never the whole event', async () => {
    // Prepare
    const { handler } = coldStart({ ...ENV, POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_SERVICE_NAME: 'rekognition-labels' });
    const executionArn =
      'arn:aws:states:eu-west-1:123456789012:execution:ImagePipeline:img-99c8682692b01f3ccc7d29daba25750b-71a2f1300d1e127e';
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });

    // Act
    try {
      await handler({ ...events.person(), executionArn }, context);
    } finally {
      write.mockRestore();
    }

    // Assess
    const logs = lines
      .flatMap((line) => line.split('\n'))
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    const done = logs.find((log) => log.message === 'image analysed');
    expect(done).toMatchObject({
      service: 'rekognition-labels',
      imageId: '99c8682692b01f3ccc7d29daba25750b',
      bucket: 'smart-image-pipeline-uploads-example',
      key: 'uploads/ai-body.jpg',
      executionArn,
      calls: ['DetectLabels', 'DetectModerationLabels', 'DetectFaces', 'DetectText'],
    });
    expect(logs.find((log) => log.message === 'optional Rekognition calls decided')).toMatchObject({
      DetectFaces: { run: true, because: 'Person 99.4' },
    });
    expect(lines.join('')).not.toContain('"revision"');
  });

  it('fails at cold start naming every missing environment variable', () => {
    // Act
    const act = () => coldStart({ ...ENV, PROCESSED_BUCKET_NAME: undefined, CONFIG_PARAMETER_NAME: ' ' });

    // Assess
    expect(act).toThrow(
      expect.objectContaining({
        name: 'ConfigurationError',
        message: 'Missing or invalid environment variables: PROCESSED_BUCKET_NAME; CONFIG_PARAMETER_NAME',
      }),
    );
  });
});
