import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSamConfig } from '../../samconfig';

function writeSamConfig(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sip-samconfig-')), 'samconfig.toml');
  writeFileSync(path, text);
  return path;
}

describe('readSamConfig', () => {
  it('lays the local environment over the default one, key by key', () => {
    // Prepare
    const path = writeSamConfig(
      [
        'version = 0.1',
        '[default.global.parameters]',
        'stack_name = "shop-images"',
        '[default.deploy.parameters]',
        'parameter_overrides = "Stage=prod Threshold=70"',
        '[local.global.parameters]',
        `parameter_overrides = """Threshold=40 Config='{"a":1,"b":"x y"}'"""`,
      ].join('\n'),
    );

    // Act
    const config = readSamConfig(path);

    // Assess
    expect(config.stackName).toBe('shop-images');
    expect(config.parameterOverrides).toEqual({ Stage: 'prod', Threshold: '40', Config: '{"a":1,"b":"x y"}' });
  });

  it('reads only the environments it is given', () => {
    // Prepare
    const path = writeSamConfig(
      '[default.deploy.parameters]\nparameter_overrides = "A=1"\n[local.deploy.parameters]\nparameter_overrides = "A=2"\n',
    );

    // Act
    const config = readSamConfig(path, ['default']);

    // Assess
    expect(config.parameterOverrides).toEqual({ A: '1' });
  });

  it('gives the project samconfig.toml a local PipelineConfig that is valid JSON and runs DetectText', () => {
    // Act
    const config = readSamConfig(join(__dirname, '../../../../samconfig.toml'));

    // Assess
    expect(JSON.parse(config.parameterOverrides.PipelineConfig)).toMatchObject({ detectText: 'always', minLabelConfidence: 40 });
  });
});
