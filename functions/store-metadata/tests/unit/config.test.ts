import { loadConfig } from '../../src/config';
import { ConfigurationError } from '../../src/errors';

describe('loadConfig', () => {
  it('returns a frozen config with the table name', () => {
    // Act
    const config = loadConfig({ IMAGES_TABLE_NAME: 'images' });

    // Assess
    expect(config).toEqual({ imagesTableName: 'images' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([{}, { IMAGES_TABLE_NAME: '  ' }])('throws ConfigurationError naming IMAGES_TABLE_NAME for %j', (env) => {
    // Act
    const load = () => loadConfig(env);

    // Assess
    expect(load).toThrow(ConfigurationError);
    expect(load).toThrow(/IMAGES_TABLE_NAME/);
  });
});
