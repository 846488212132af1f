import { DEFAULT_ANALYSIS_CONFIG, parseAnalysisConfig } from '../../src/analysis-config';
import { InvalidConfigError } from '../../src/errors';

const SOURCE = 'SSM parameter /sip/test/config';

describe('parseAnalysisConfig', () => {
  it('fills every key with the contract default when the object is empty', () => {
    // Act
    const config = parseAnalysisConfig('{}', SOURCE);

    // Assess
    expect(config).toEqual(DEFAULT_ANALYSIS_CONFIG);
  });

  it('overrides only the keys that are given', () => {
    // Act
    const config = parseAnalysisConfig('{"detectFaces":"never","maxLabels":10,"textTriggerLabels":["Screenshot"]}', SOURCE);

    // Assess
    expect(config).toEqual({
      ...DEFAULT_ANALYSIS_CONFIG,
      detectFaces: 'never',
      maxLabels: 10,
      textTriggerLabels: ['Screenshot'],
    });
  });

  it('returns a frozen config so a handler cannot change it for the next invocation', () => {
    // Act
    const config = parseAnalysisConfig('{"faceTriggerLabels":["Person"]}', SOURCE);

    // Assess
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.faceTriggerLabels)).toBe(true);
  });

  it('throws InvalidConfigError naming the parameter when the value is not JSON', () => {
    // Act
    const act = () => parseAnalysisConfig('{detectFaces: auto}', SOURCE);

    // Assess
    expect(act).toThrow(InvalidConfigError);
    expect(act).toThrow(/SSM parameter \/sip\/test\/config is not JSON/);
  });

  it.each(['[]', 'null', '42', '"auto"'])('throws InvalidConfigError when the JSON %s is not an object', (raw) => {
    // Act
    const act = () => parseAnalysisConfig(raw, SOURCE);

    // Assess
    expect(act).toThrow(new InvalidConfigError(`Config in ${SOURCE} must be a JSON object`));
  });

  it('lists every invalid and unknown key in one message', () => {
    // Prepare
    const raw = JSON.stringify({
      minLabelConfidence: 120,
      maxLabels: 2.5,
      detectFaces: 'sometimes',
      faceTriggerLabels: ['Person', ''],
      cacheSeconds: -1,
      detectface: 'never',
    });

    // Act
    let caught: unknown;
    try {
      parseAnalysisConfig(raw, SOURCE);
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(caught).toBeInstanceOf(InvalidConfigError);
    const error = caught as InvalidConfigError;
    expect(error.name).toBe('InvalidConfigError');
    expect(error.message).toContain('minLabelConfidence must be a number from 0 to 100 (got 120)');
    expect(error.message).toContain('maxLabels must be an integer from 1 to 1000 (got 2.5)');
    expect(error.message).toContain('detectFaces must be "auto", "always" or "never" (got "sometimes")');
    expect(error.message).toContain('faceTriggerLabels must be a list of at most 100 non-empty label names');
    expect(error.message).toContain('cacheSeconds must be an integer from 0 to 3600 (got -1)');
    expect(error.message).toContain('detectface is not a known key');
  });

  it('refuses inherited property names such as __proto__ as unknown keys', () => {
    // Act
    const act = () => parseAnalysisConfig('{"__proto__":{"maxLabels":5},"toString":1}', SOURCE);

    // Assess
    expect(act).toThrow(/__proto__ is not a known key .*; toString is not a known key/);
  });
});
