import {
  analysisSettingsKey,
  DEFAULT_ANALYSIS_CONFIG,
  hammingDistance,
  perceptualHashBands,
  phashIndexPk,
  type AnalysisConfig,
  type AnalysisSummary,
} from '@smart-image-pipeline/contracts';
import { findReusableAnalysis, isInformativeHash, type NearDuplicateStore, type StoredImage } from '../../src/near-duplicate';
import { events } from './fixtures';

const HASH = '8f3c5a1e9b7d2c64';
/** HASH with `bits` low bits flipped. */
const flipped = (bits: number): string => (BigInt(`0x${HASH}`) ^ ((1n << BigInt(bits)) - 1n)).toString(16).padStart(16, '0');

const config = (overrides: Partial<AnalysisConfig> = {}): AnalysisConfig => ({ ...DEFAULT_ANALYSIS_CONFIG, ...overrides });

function analysisWith(settings: string | undefined): AnalysisSummary {
  return {
    sections: { labels: { title: 'Labels', detector: 'DetectLabels', items: [{ name: 'Dog', confidence: 98.1 }] } },
    calls: ['DetectLabels'],
    skipped: {},
    rawKeys: {},
    ...(settings !== undefined ? { settings } : {}),
  };
}

/** An in-memory table: hash-band partitions built from the images, as StoreMetadata writes them. */
function tableOf(images: Array<StoredImage & { perceptualHash: string }>) {
  const reads: string[] = [];
  const store: NearDuplicateStore = {
    bandMembers: async (indexPk) =>
      images
        .filter((image) => perceptualHashBands(image.perceptualHash).some((band, index) => phashIndexPk(index, band) === indexPk))
        .map(({ imageId, perceptualHash }) => ({ imageId, perceptualHash })),
    image: async (imageId) => {
      reads.push(imageId);
      return images.find((image) => image.imageId === imageId);
    },
  };
  return { store, reads };
}

const OTHER_ID = 'a'.repeat(32);
const input = (overrides: { perceptualHash?: string; owner?: string } = {}) => ({
  ...events.landscape(),
  perceptualHash: HASH,
  ...overrides,
});
const stored = (overrides: Partial<StoredImage & { perceptualHash: string }> = {}) => ({
  imageId: OTHER_ID,
  revision: '0123456789abcdef',
  status: 'SUCCEEDED',
  perceptualHash: flipped(2),
  analysis: analysisWith(analysisSettingsKey(config())),
  ...overrides,
});

describe('findReusableAnalysis', () => {
  it('reuses the analysis of an image within the configured distance, analysed with the same settings', async () => {
    // Prepare
    const { store } = tableOf([stored()]);

    // Act
    const found = await findReusableAnalysis(input(), config(), store);

    // Assess
    expect(found).toMatchObject({ imageId: OTHER_ID, revision: '0123456789abcdef', distance: 2 });
    expect(found?.summary.sections.labels.items[0].name).toBe('Dog');
  });

  it('does not reuse beyond nearDuplicateMaxDistance', async () => {
    // Prepare
    const { store } = tableOf([stored({ perceptualHash: flipped(3) })]);

    // Act
    const withTwo = await findReusableAnalysis(input(), config({ nearDuplicateMaxDistance: 2 }), store);
    const withThree = await findReusableAnalysis(input(), config({ nearDuplicateMaxDistance: 3 }), store);

    // Assess
    expect(withTwo).toBeUndefined();
    expect(withThree?.distance).toBe(3);
  });

  it('does not reuse an analysis made with different settings, or one with no recorded settings', async () => {
    // Prepare
    const otherSettings = analysisSettingsKey(config({ minLabelConfidence: 55 }));
    const { store } = tableOf([
      stored({ analysis: analysisWith(otherSettings) }),
      stored({ imageId: 'b'.repeat(32), analysis: analysisWith(undefined) }),
    ]);

    // Act
    const found = await findReusableAnalysis(input(), config(), store);

    // Assess
    expect(otherSettings).not.toBe(analysisSettingsKey(config()));
    expect(found).toBeUndefined();
  });

  it('changes the settings key for a changed switch or trigger list, not for cacheSeconds or the reuse switches', () => {
    // Assess
    const base = analysisSettingsKey(config());
    expect(analysisSettingsKey(config({ detectModeration: 'always' }))).not.toBe(base);
    expect(analysisSettingsKey(config({ faceTriggerLabels: ['Person'] }))).not.toBe(base);
    expect(analysisSettingsKey(config({ rekognitionImageProperties: true }))).not.toBe(base);
    expect(analysisSettingsKey(config({ cacheSeconds: 5, nearDuplicateMaxDistance: 0, reuseNearDuplicates: false }))).toBe(base);
    expect(base).toMatch(/^[0-9a-f]{16}$/);
  });

  it('never reuses across owners, and never between an owned and an unowned image', async () => {
    // Prepare
    const { store } = tableOf([stored({ owner: '1b0f4a7e-0d5c-4a39-9e7f-3c2b1a0f9e8d' })]);

    // Act
    const otherOwner = await findReusableAnalysis(input({ owner: '77c2a1d4-5b6e-4f80-9a1b-2c3d4e5f6a7b' }), config(), store);
    const noOwner = await findReusableAnalysis(input(), config(), store);
    const sameOwner = await findReusableAnalysis(input({ owner: '1b0f4a7e-0d5c-4a39-9e7f-3c2b1a0f9e8d' }), config(), store);

    // Assess
    expect(otherOwner).toBeUndefined();
    expect(noOwner).toBeUndefined();
    expect(sameOwner?.imageId).toBe(OTHER_ID);
  });

  it('skips failed, deleted and unanalysed images and the image itself, and takes the nearest of the rest', async () => {
    // Prepare
    const self = input();
    const { store } = tableOf([
      stored({ imageId: self.imageId, perceptualHash: HASH }),
      stored({ imageId: 'b'.repeat(32), status: 'FAILED', perceptualHash: flipped(0) }),
      stored({ imageId: 'c'.repeat(32), status: 'DELETED', perceptualHash: flipped(0) }),
      stored({ imageId: 'd'.repeat(32), perceptualHash: flipped(1), analysis: null }),
      stored({ imageId: 'e'.repeat(32), perceptualHash: flipped(2) }),
      stored({ imageId: 'f'.repeat(32), perceptualHash: flipped(1) }),
    ]);

    // Act
    const found = await findReusableAnalysis(self, config(), store);

    // Assess
    expect(found).toMatchObject({ imageId: 'f'.repeat(32), distance: 1 });
  });

  it('reads nothing when reuse is off, the hash is missing, or the hash is uninformative (flat image, identical rows)', async () => {
    // Prepare
    const { store, reads } = tableOf([stored({ perceptualHash: '0000000000000000' }), stored({ imageId: 'b'.repeat(32) })]);

    // Act
    const off = await findReusableAnalysis(input(), config({ reuseNearDuplicates: false }), store);
    const noHash = await findReusableAnalysis({ ...events.landscape() }, config(), store);
    const flat = await findReusableAnalysis(input({ perceptualHash: '0000000000000001' }), config(), store);

    // Assess
    expect([off, noHash, flat]).toEqual([undefined, undefined, undefined]);
    expect(reads).toEqual([]);
    expect(isInformativeHash('0000000000000001')).toBe(false);
    expect(isInformativeHash('0f0f0f0f0f0f0f0f')).toBe(false);
    expect(isInformativeHash('8080808080808080')).toBe(false);
    expect(isInformativeHash(HASH)).toBe(true);
    expect(hammingDistance(HASH, flipped(5))).toBe(5);
  });
});
