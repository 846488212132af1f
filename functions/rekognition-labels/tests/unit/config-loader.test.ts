import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { GetParameterCommand, ParameterNotFound, SSMClient, SSMServiceException } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { createConfigLoader } from '../../src/config-loader';
import { InvalidConfigError } from '../../src/errors';

const PARAMETER_NAME = '/smart-image-pipeline/test/rekognition-config';
const ssmMock = mockClient(SSMClient);

function parameterValue(value: string) {
  return { Parameter: { Name: PARAMETER_NAME, Type: 'String' as const, Value: value, Version: 1 } };
}

/** A fresh provider per test: Powertools keeps its cache inside the provider instance. */
function newLoader() {
  const provider = new SSMProvider({ awsSdkV3Client: new SSMClient({ region: 'us-east-1' }) });
  return createConfigLoader((name, maxAge) => provider.get(name, { maxAge }), PARAMETER_NAME);
}

const getParameterCalls = () => ssmMock.commandCalls(GetParameterCommand);

describe('createConfigLoader with Powertools SSMProvider', () => {
  beforeEach(() => {
    ssmMock.reset();
    // Only Date is faked, so the SDK's own timers keep working.
    jest.useFakeTimers({
      now: new Date('2026-11-25T12:00:00.000Z'),
      doNotFake: [
        'nextTick',
        'setImmediate',
        'setTimeout',
        'setInterval',
        'clearTimeout',
        'clearInterval',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('reads SSM once while the cached value is younger than cacheSeconds', async () => {
    // Prepare
    ssmMock.on(GetParameterCommand).resolves(parameterValue('{"detectFaces":"always"}'));
    const loadConfig = newLoader();

    // Act
    const first = await loadConfig();
    jest.setSystemTime(new Date('2026-11-25T12:00:59.000Z'));
    const second = await loadConfig();
    const third = await loadConfig();

    // Assess
    expect(getParameterCalls()).toHaveLength(1);
    expect(getParameterCalls()[0].args[0].input).toEqual({ Name: PARAMETER_NAME, WithDecryption: false });
    expect(first.detectFaces).toBe('always');
    expect(second).toBe(first);
    expect(third).toBe(first);
  });

  it('reads SSM again once the default 60 seconds have passed and picks up the new value', async () => {
    // Prepare
    ssmMock
      .on(GetParameterCommand)
      .resolvesOnce(parameterValue('{"detectText":"auto"}'))
      .resolvesOnce(parameterValue('{"detectText":"never"}'));
    const loadConfig = newLoader();

    // Act
    const before = await loadConfig();
    jest.setSystemTime(new Date('2026-11-25T12:01:01.000Z'));
    const after = await loadConfig();

    // Assess
    expect(getParameterCalls()).toHaveLength(2);
    expect(before.detectText).toBe('auto');
    expect(after.detectText).toBe('never');
  });

  it('caches for the cacheSeconds that the config itself sets, from the second read on', async () => {
    // Prepare
    ssmMock.on(GetParameterCommand).resolves(parameterValue('{"cacheSeconds":300}'));
    const loadConfig = newLoader();

    // Act: the first read is cached for the default 60 s, the second one for 300 s.
    await loadConfig();
    jest.setSystemTime(new Date('2026-11-25T12:01:01.000Z'));
    await loadConfig();
    jest.setSystemTime(new Date('2026-11-25T12:05:00.000Z'));
    await loadConfig();
    const readsWithin300s = getParameterCalls().length;
    jest.setSystemTime(new Date('2026-11-25T12:06:02.000Z'));
    await loadConfig();

    // Assess
    expect(readsWithin300s).toBe(2);
    expect(getParameterCalls()).toHaveLength(3);
  });

  it('reads SSM on every call once a config with cacheSeconds 0 is in effect', async () => {
    // Prepare
    ssmMock.on(GetParameterCommand).resolves(parameterValue('{"cacheSeconds":0}'));
    const loadConfig = newLoader();

    // Act
    await loadConfig();
    await loadConfig();
    await loadConfig();

    // Assess: the first value was cached with the default; the later ones are not cached at all.
    expect(getParameterCalls()).toHaveLength(1);
    jest.setSystemTime(new Date('2026-11-25T12:01:01.000Z'));
    await loadConfig();
    await loadConfig();
    expect(getParameterCalls()).toHaveLength(3);
  });

  it('throws InvalidConfigError when the parameter holds an invalid config', async () => {
    // Prepare
    ssmMock.on(GetParameterCommand).resolves(parameterValue('{"detectFaces":"maybe"}'));
    const loadConfig = newLoader();

    // Act
    const result = loadConfig();

    // Assess
    await expect(result).rejects.toThrow(InvalidConfigError);
    await expect(loadConfig()).rejects.toThrow(
      `Invalid config in SSM parameter ${PARAMETER_NAME}: detectFaces must be "auto", "always" or "never" (got "maybe")`,
    );
  });

  it('throws InvalidConfigError when the parameter does not exist', async () => {
    // Prepare
    ssmMock.on(GetParameterCommand).rejects(new ParameterNotFound({ message: '', $metadata: { httpStatusCode: 400 } }));
    const loadConfig = newLoader();

    // Act
    const result = loadConfig();

    // Assess
    await expect(result).rejects.toMatchObject({
      name: 'InvalidConfigError',
      message: `SSM parameter ${PARAMETER_NAME} not found`,
    });
  });

  it('lets SSM throttling surface under its SDK name, not as Powertools GetParameterError', async () => {
    // Prepare
    const throttled = new SSMServiceException({
      name: 'ThrottlingException',
      $fault: 'client',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
    ssmMock.on(GetParameterCommand).rejects(throttled);
    const loadConfig = newLoader();

    // Act
    const result = loadConfig();

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded' });
  });
});
