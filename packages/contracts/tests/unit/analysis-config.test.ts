import { checkAnalysisConfig, DEFAULT_ANALYSIS_CONFIG } from '../../src';

describe('analysis config', () => {
  it('holds the one set of defaults, which an empty config means', () => {
    // Act
    const empty = checkAnalysisConfig({});

    // Assess
    expect(empty.config).toEqual(DEFAULT_ANALYSIS_CONFIG);
    expect(DEFAULT_ANALYSIS_CONFIG).toEqual({
      minLabelConfidence: 70,
      maxLabels: 25,
      minModerationConfidence: 60,
      detectFaces: 'auto',
      detectText: 'auto',
      faceTriggerLabels: ['Person', 'Human', 'Face', 'Portrait'],
      textTriggerLabels: ['Text', 'Document', 'Poster', 'Sign', 'Book', 'Menu', 'Label', 'Page'],
      minTriggerConfidence: 50,
      cacheSeconds: 60,
    });
    expect(Object.isFrozen(DEFAULT_ANALYSIS_CONFIG)).toBe(true);
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
