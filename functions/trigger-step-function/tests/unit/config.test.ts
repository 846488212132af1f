import { loadConfig } from '../../src/config';
import { ConfigurationError } from '../../src/errors';

const ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:ImagePipeline';

describe('loadConfig', () => {
  it('returns a frozen config with the default uploads prefix', () => {
    // Act
    const config = loadConfig({ STATE_MACHINE_ARN: ARN });

    // Assess
    expect(config).toEqual({ stateMachineArn: ARN, uploadsPrefix: 'uploads/' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('takes UPLOADS_PREFIX when set, and the default when it is empty', () => {
    // Act
    const custom = loadConfig({ STATE_MACHINE_ARN: ARN, UPLOADS_PREFIX: 'incoming/' });
    const blank = loadConfig({ STATE_MACHINE_ARN: ARN, UPLOADS_PREFIX: '' });

    // Assess
    expect(custom.uploadsPrefix).toBe('incoming/');
    expect(blank.uploadsPrefix).toBe('uploads/');
  });

  it('throws one ConfigurationError naming the missing variable', () => {
    // Act
    const load = () => loadConfig({});

    // Assess
    expect(load).toThrow(ConfigurationError);
    expect(load).toThrow(/STATE_MACHINE_ARN/);
  });

  it('rejects a STATE_MACHINE_ARN that is not an ARN', () => {
    // Act + Assess
    expect(() => loadConfig({ STATE_MACHINE_ARN: 'ImagePipeline' })).toThrow(/STATE_MACHINE_ARN \(not an ARN\)/);
  });
});
