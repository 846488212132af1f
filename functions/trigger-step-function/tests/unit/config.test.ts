import { loadConfig } from '../../src/config';
import { ConfigurationError } from '../../src/errors';

const ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:ImagePipeline';
const BUCKET = 'sip-uploads-123456789012-eu-west-1-5f0c1a2b';

describe('loadConfig', () => {
  it('returns a frozen config with the default uploads prefix', () => {
    // Act
    const config = loadConfig({ UPLOADS_BUCKET_NAME: BUCKET, STATE_MACHINE_ARN: ARN });

    // Assess
    expect(config).toEqual({ stateMachineArn: ARN, uploadsPrefix: 'uploads/', uploadsBucketName: BUCKET });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('takes UPLOADS_PREFIX when set, and the default when it is empty', () => {
    // Act
    const custom = loadConfig({ UPLOADS_BUCKET_NAME: BUCKET, STATE_MACHINE_ARN: ARN, UPLOADS_PREFIX: 'incoming/' });
    const blank = loadConfig({ UPLOADS_BUCKET_NAME: BUCKET, STATE_MACHINE_ARN: ARN, UPLOADS_PREFIX: '' });

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

  it('requires UPLOADS_BUCKET_NAME, the one bucket whose records it serves', () => {
    // Act
    const load = () => loadConfig({ STATE_MACHINE_ARN: ARN, UPLOADS_BUCKET_NAME: ' ' });

    // Assess
    expect(load).toThrow(ConfigurationError);
    expect(load).toThrow(/UPLOADS_BUCKET_NAME/);
  });

  it('rejects a STATE_MACHINE_ARN that is not an ARN', () => {
    // Act + Assess
    expect(() => loadConfig({ UPLOADS_BUCKET_NAME: BUCKET, STATE_MACHINE_ARN: 'ImagePipeline' })).toThrow(
      /STATE_MACHINE_ARN \(not an ARN\)/,
    );
  });
});
