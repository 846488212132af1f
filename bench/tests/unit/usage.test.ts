import { deployedAnalysisConfig, measureAnalysisUsage, measureStoreUsage, resizeUsage } from '../../cost/usage';

describe('usage counted from the real cores', () => {
  it('reads the deployed analysis config from template.yaml', () => {
    // Act
    const config = deployedAnalysisConfig();

    // Assess
    expect(config.faceTriggerLabels.length).toBeGreaterThan(0);
    expect(['auto', 'always', 'never']).toContain(config.detectFaces);
  });

  it('calls DetectFaces only for an image with a person-like label under the auto switches', async () => {
    // Act
    const usage = await measureAnalysisUsage({ ...deployedAnalysisConfig(), detectFaces: 'auto', detectText: 'auto' });

    // Assess
    expect(usage.plain.calls).not.toContain('DetectFaces');
    expect(usage.person.calls).toContain('DetectFaces');
    expect(usage.text.calls).toContain('DetectText');
    expect(usage.personAndText.rawJsonPuts).toBe(usage.personAndText.calls.length);
  });

  it('measures the defaults: no Image Properties, moderation only with a person, nothing at all for a near-duplicate', async () => {
    // Act
    const usage = await measureAnalysisUsage();

    // Assess
    expect(usage.plain).toEqual({ calls: ['DetectLabels'], imageProperties: false, rawJsonPuts: 1, bandQueries: 4, itemReads: 0 });
    expect(usage.person.calls).toEqual(['DetectLabels', 'DetectModerationLabels', 'DetectFaces']);
    expect(usage.reused).toEqual({ calls: [], imageProperties: false, rawJsonPuts: 0, bandQueries: 4, itemReads: 1 });
  });

  it('analyses a near-duplicate in full when reuse is switched off, and asks for Image Properties when switched on', async () => {
    // Act
    const usage = await measureAnalysisUsage({ ...deployedAnalysisConfig(), reuseNearDuplicates: false, rekognitionImageProperties: true });

    // Assess
    expect(usage.reused.calls).toEqual(['DetectLabels', 'DetectModerationLabels', 'DetectFaces', 'DetectText']);
    expect(usage.reused.bandQueries).toBe(0);
    expect(usage.plain.imageProperties).toBe(true);
  });

  it('counts the DynamoDB items StoreMetadata writes for the canonical success event', async () => {
    // Act
    const usage = await measureStoreUsage();

    // Assess: the image item plus 4 perceptual-hash bands at least, each under 400 KB.
    expect(usage.writes.length).toBeGreaterThanOrEqual(5);
    expect(usage.writes.every((w) => w.bytes > 0 && w.bytes < 400 * 1024)).toBe(true);
  });

  it('writes two variants per configured width', () => {
    expect(resizeUsage().variantPuts % 2).toBe(0);
  });
});
