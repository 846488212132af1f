import {
  analysisFingerprint,
  checkAnalysisConfig,
  DEFAULT_ANALYSIS_CONFIG,
  reusableAnalysis,
  reusableAnalysisRef,
  reusedAnalysisSummary,
  storedAnalysisRef,
  type AnalysisConfig,
} from '../../src';

const REVISION = '9a1b2c3d4e5f6071';

function config(changes: Record<string, unknown>): AnalysisConfig {
  const checked = checkAnalysisConfig(changes);
  if (!checked.config) throw new Error(checked.problems.join('; '));
  return checked.config;
}

/** An image item as StoreMetadata writes it after a successful analysis with `settings`. */
function storedItem(settings: AnalysisConfig, changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    imageId: '5f0c2d7e9a1b3c4d5e6f708192a3b4c5',
    revision: REVISION,
    status: 'SUCCEEDED',
    pipelineVersion: 'v1',
    analysis: {
      sections: { labels: { title: 'Labels', detector: 'DetectLabels', items: [{ name: 'Flower', confidence: 97 }] } },
      calls: ['DetectLabels', 'DetectModerationLabels'],
      skipped: { DetectFaces: 'no trigger label' },
      rawKeys: { DetectLabels: 'raw/x/labels.json' },
      settingsFingerprint: analysisFingerprint(settings),
    },
    ...changes,
  };
}

describe('analysisFingerprint', () => {
  it('changes with every threshold, switch and trigger list, the quarantine threshold and people grouping included', () => {
    // Prepare
    const changes = [
      { minLabelConfidence: 71 },
      { maxLabels: 24 },
      { minModerationConfidence: 61 },
      { quarantineMinConfidence: 90 },
      { detectFaces: 'always' },
      { textTriggerLabels: ['Text'] },
      { reuseNearDuplicates: false },
      { groupFacesIntoPeople: true },
      { personMatchThreshold: 95 },
    ];

    // Act
    const fingerprints = changes.map((change) => analysisFingerprint(config(change)));

    // Assess
    expect(new Set([analysisFingerprint(DEFAULT_ANALYSIS_CONFIG), ...fingerprints]).size).toBe(changes.length + 1);
  });

  it('ignores cacheSeconds and the order of the keys', () => {
    // Act & Assess
    expect(analysisFingerprint(config({ cacheSeconds: 5 }))).toBe(analysisFingerprint(DEFAULT_ANALYSIS_CONFIG));
    expect(analysisFingerprint(config({ maxLabels: 10, minLabelConfidence: 80 }))).toBe(
      analysisFingerprint(config({ minLabelConfidence: 80, maxLabels: 10 })),
    );
  });
});

describe('stored analysis reuse', () => {
  it('refers to a successful analysis with a fingerprint, and to nothing else', () => {
    // Prepare
    const item = storedItem(DEFAULT_ANALYSIS_CONFIG);

    // Act & Assess
    expect(storedAnalysisRef(item)).toEqual({ pipelineVersion: 'v1', fingerprint: analysisFingerprint(DEFAULT_ANALYSIS_CONFIG) });
    expect(storedAnalysisRef({ ...item, pipelineVersion: undefined })?.pipelineVersion).toBe('v1');
    expect(storedAnalysisRef({ ...item, status: 'FAILED' })).toBeUndefined();
    expect(storedAnalysisRef({ ...item, mediaType: 'video' })).toBeUndefined();
    expect(storedAnalysisRef({ ...item, analysis: { ...(item.analysis as object), settingsFingerprint: undefined } })).toBeUndefined();
    expect(storedAnalysisRef({ ...item, analysis: null })).toBeUndefined();
    expect(storedAnalysisRef(undefined)).toBeUndefined();
  });

  it('keeps the reference only for the target fingerprint (ResolveVersion)', () => {
    // Prepare
    const ref = storedAnalysisRef(storedItem(DEFAULT_ANALYSIS_CONFIG));

    // Act & Assess
    expect(reusableAnalysisRef(ref, analysisFingerprint(DEFAULT_ANALYSIS_CONFIG))).toEqual(ref);
    expect(reusableAnalysisRef(ref, analysisFingerprint(config({ quarantineMinConfidence: 60 })))).toBeNull();
    expect(reusableAnalysisRef({ pipelineVersion: 'latest', fingerprint: ref?.fingerprint }, ref!.fingerprint)).toBeNull();
    expect(reusableAnalysisRef(undefined, ref!.fingerprint)).toBeNull();
  });

  it('reuses the item’s analysis for the same revision and settings only (AnalyseImage)', () => {
    // Prepare
    const item = storedItem(DEFAULT_ANALYSIS_CONFIG);

    // Act
    const reused = reusableAnalysis(item, REVISION, DEFAULT_ANALYSIS_CONFIG);

    // Assess
    expect(reused).toEqual({ summary: item.analysis, pipelineVersion: 'v1' });
    expect(reusableAnalysis(item, 'ffffffffffffffff', DEFAULT_ANALYSIS_CONFIG)).toBeNull();
    expect(reusableAnalysis(item, REVISION, config({ minModerationConfidence: 50 }))).toBeNull();
    expect(reusableAnalysis({ ...item, status: 'QUARANTINED' }, REVISION, DEFAULT_ANALYSIS_CONFIG)).toBeNull();
    expect(
      reusableAnalysis({ ...item, analysis: { ...(item.analysis as object), sections: 'x' } }, REVISION, DEFAULT_ANALYSIS_CONFIG),
    ).toBeNull();
  });

  it('returns the stored sections with no calls, naming the version whose run made them, also after a second reuse', () => {
    // Prepare
    const reused = reusableAnalysis(storedItem(DEFAULT_ANALYSIS_CONFIG), REVISION, DEFAULT_ANALYSIS_CONFIG)!;

    // Act
    const once = reusedAnalysisSummary(reused);
    const twice = reusedAnalysisSummary({ summary: once, pipelineVersion: 'v2' });

    // Assess
    expect(once).toEqual({ ...reused.summary, calls: [], skipped: {}, reusedFromVersion: 'v1' });
    expect(twice.reusedFromVersion).toBe('v1');
  });
});
