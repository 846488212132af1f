import {
  checkPipelineConfig,
  DEFAULT_VARIANT_WIDTHS,
  pickPipelineVersion,
  sameVariants,
  storedPipelineVersion,
} from '@smart-image-pipeline/contracts';

describe('checkPipelineConfig', () => {
  it('reads the flat form as the one version v1 with the given widths', () => {
    // Act
    const { config } = checkPipelineConfig({ maxLabels: 10 }, DEFAULT_VARIANT_WIDTHS);

    // Assess
    expect(config?.current).toBe('v1');
    expect(pickPipelineVersion(config!)?.settings).toMatchObject({ analysis: { maxLabels: 10 }, variantWidths: [256, 1024, 2048] });
  });

  it('reads the versions form, sorts widths and tells versions with equal variants', () => {
    // Act
    const { config } = checkPipelineConfig(
      { current: 'v3', versions: { v1: {}, v2: { minLabelConfidence: 90 }, v3: { variantWidths: [1024, 256, 256] } } },
      [256, 1024, 2048],
    );
    const [v1, v2, v3] = ['v1', 'v2', 'v3'].map((name) => pickPipelineVersion(config!, name)!);

    // Assess
    expect(pickPipelineVersion(config!)?.name).toBe('v3');
    expect(v3.settings.variantWidths).toEqual([256, 1024]);
    expect(sameVariants(v1, v2)).toBe(true);
    expect(sameVariants(v1, v3)).toBe(false);
    expect(new Set([v1.fingerprint, v2.fingerprint, v3.fingerprint]).size).toBe(3);
    expect(pickPipelineVersion(config!, 'v4')).toBeUndefined();
  });

  it('names every problem: bad names, bad widths, unknown keys, a current that names nothing, extra keys', () => {
    // Act
    const { problems } = checkPipelineConfig(
      { current: 'v9', versions: { latest: {}, v1: { variantWidths: [0], detectface: 'auto' } }, extra: 1 },
      DEFAULT_VARIANT_WIDTHS,
    );

    // Assess
    expect(problems).toEqual([
      'extra: a versions config holds only "current" and "versions"',
      'versions.latest: a version name is "v" and a number (v1, v2, ...)',
      'versions.v1.variantWidths must be a list of 1-10 integers from 1 to 16383 (got [0])',
      'versions.v1.detectface is not a known key (got "auto")',
      'current must name one of the versions (got "v9")',
    ]);
  });

  it('counts a stored result without a version as v1', () => {
    expect(storedPipelineVersion({})).toBe('v1');
    expect(storedPipelineVersion({ pipelineVersion: 'v4' })).toBe('v4');
  });
});
