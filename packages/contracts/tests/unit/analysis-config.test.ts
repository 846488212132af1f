import { checkAnalysisConfig, DEFAULT_ANALYSIS_CONFIG } from '../../src';

describe('analysis config', () => {
  it('holds the one set of defaults, which an empty config means', () => {
    // Act
    const empty = checkAnalysisConfig({});

    // Assess (every default is compared with docs/contracts.md by tests/template/template-functions.test.ts)
    expect(empty.config).toEqual(DEFAULT_ANALYSIS_CONFIG);
    expect(DEFAULT_ANALYSIS_CONFIG).toMatchObject({
      minLabelConfidence: 70,
      detectFaces: 'auto',
      faceTriggerLabels: ['Person', 'Human', 'Face', 'Portrait'],
    });
    expect(Object.isFrozen(DEFAULT_ANALYSIS_CONFIG)).toBe(true);
    expect(Object.isFrozen(DEFAULT_ANALYSIS_CONFIG.faceTriggerLabels)).toBe(true);
  });

  it('fills in only the keys a partial config leaves out', () => {
    // Act
    const { config } = checkAnalysisConfig({ minLabelConfidence: 40, detectText: 'always' });

    // Assess
    expect(config).toEqual({ ...DEFAULT_ANALYSIS_CONFIG, minLabelConfidence: 40, detectText: 'always' });
  });

  it('names every bad and unknown key with its value', () => {
    // Act
    const { problems } = checkAnalysisConfig({ maxLabels: 2.5, detectFaces: 'sometimes', detectface: 'never' });

    // Assess
    expect(problems).toEqual([
      'maxLabels must be an integer from 1 to 1000 (got 2.5)',
      'detectFaces must be "auto", "always" or "never" (got "sometimes")',
      'detectface is not a known key (got "never")',
    ]);
  });
});
