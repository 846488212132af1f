import { marshall } from '@aws-sdk/util-dynamodb';
import { parseStoreRequest } from '../../src/parse-input';
import { perceptualHashBands, type AnalysisSection } from '@smart-image-pipeline/contracts';
import { ANALYSIS_LIMITS } from '../../src/analysis-record';
import {
  LIMITS,
  failureImageItem,
  labelItems,
  perceptualHashItems,
  searchLabels,
  successImageItem,
  textContentOf,
  type LabelResult,
} from '../../src/items';
import type { RecordFailureInput, StoreSuccessInput } from '../../src/types';
import { loadStoreEvent } from './support/events';

const TIMES = { createdAt: '2026-11-25T12:00:05.000Z', updatedAt: '2026-11-25T12:00:09.123Z' };

function successInput(name: 'success' | 'success-no-analysis' = 'success'): StoreSuccessInput {
  const request = parseStoreRequest(loadStoreEvent(name));
  if (request.action !== 'storeMetadata') throw new Error('expected a success state');
  return request.input;
}

function label(name: string, confidence: number, parents: string[] = []): LabelResult {
  return { name, confidence, parents };
}

/** A section of `count` items built by `item`, as a detector would return it. */
function section(title: string, count: number, item: (index: number) => AnalysisSection['items'][number]): AnalysisSection {
  return { title, detector: `Detect${title}`, items: Array.from({ length: count }, (_, index) => item(index)) };
}

describe('searchLabels', () => {
  it('indexes parents that were not detected on their own with their best child confidence', () => {
    // Act
    const labels = searchLabels([label('Dog', 97, ['Animal', 'Pet']), label('Cat', 99, ['Animal', 'Pet']), label('Pet', 80)]);

    // Assess
    expect(labels).toEqual([
      { name: 'Animal', confidence: 99, inherited: true },
      { name: 'Cat', confidence: 99, inherited: false },
      { name: 'Dog', confidence: 97, inherited: false },
      { name: 'Pet', confidence: 80, inherited: false },
    ]);
  });

  it('keeps detected labels before inherited ones when capping', () => {
    // Prepare: 60 detected labels, each with its own parent.
    const many = Array.from({ length: 60 }, (_, i) => label(`L${i}`, 50 + i / 2, [`P${i}`]));

    // Act
    const labels = searchLabels(many);

    // Assess
    expect(labels).toHaveLength(LIMITS.labels);
    expect(labels.every((l) => !l.inherited)).toBe(true);
    expect(labels[0]?.name).toBe('L59');
  });
});

describe('textContentOf', () => {
  it('joins detections in lower case and caps the length', () => {
    // Act
    const short = textContentOf(['OPEN 24 HOURS', '  ', 'Café']);
    const long = textContentOf(Array.from({ length: 500 }, () => 'LONG TEXT LINE'));

    // Assess
    expect(short).toBe('open 24 hours café');
    expect(long).toHaveLength(LIMITS.textContent);
  });
});

describe('successImageItem', () => {
  it('holds the contract attributes and GSI1 keys of a SUCCEEDED image', () => {
    // Act
    const item = successImageItem(successInput(), TIMES);

    // Assess
    expect(item).toMatchObject({
      PK: 'IMAGE#4c305750c43906432cd42f52210099f7',
      SK: 'IMAGE',
      GSI1PK: 'STATUS#SUCCEEDED',
      GSI1SK: '2026-11-25T12:00:09.123Z#4c305750c43906432cd42f52210099f7',
      imageId: '4c305750c43906432cd42f52210099f7',
      status: 'SUCCEEDED',
      revision: '4ad423f178deff50',
      sourceOrder: '000000000000000065A1B2C3D4E5F601',
      source: {
        bucket: 'smart-image-pipeline-uploads-123456789012',
        key: 'uploads/holiday/beach.jpg',
        versionId: 'Q7f2lhBq0h8.Hn6Xo3vW1yJ9tq5m2RcZ',
      },
      originalName: 'beach.jpg',
      perceptualHash: 'c3d2a1f08e4b7765',
      thumbnailKey: 'images/4c305750c43906432cd42f52210099f7/4ad423f178deff50/w256.webp',
      faceCount: 1,
      moderated: false,
      textContent: 'lifeguard no swimming after 6 pm',
      createdAt: TIMES.createdAt,
      updatedAt: TIMES.updatedAt,
      executionName: 'img-4c305750c43906432cd42f52210099f7-4ad423f178deff50',
      analysed: true,
    });
    expect(item).not.toHaveProperty('error');
  });

  it('stores an image without analysis with empty analysis fields', () => {
    // Act
    const item = successImageItem(successInput('success-no-analysis'), TIMES);

    // Assess
    expect(item).toMatchObject({ analysable: false, analysed: false, analysis: null, faceCount: 0, textContent: '', moderated: false });
  });

  it('keeps every section of the summary, a detector it has never heard of too', () => {
    // Prepare
    const input = successInput();
    const celebrities = section('Celebrities', 1, () => ({
      name: 'Ada Lovelace',
      confidence: 99.2,
      boxes: [{ left: 0.1, top: 0.1, width: 0.2, height: 0.3 }],
    }));
    input.analysis!.sections.celebrities = celebrities;

    // Act
    const item = successImageItem(input, TIMES);

    // Assess
    const analysis = item.analysis as { sections: Record<string, AnalysisSection>; calls: string[] };
    expect(Object.keys(analysis.sections).sort()).toEqual(['celebrities', 'faces', 'imageProperties', 'labels', 'moderation', 'text']);
    expect(analysis.sections.celebrities).toEqual(celebrities);
    expect(analysis.calls).toEqual(['DetectLabels', 'DetectModerationLabels', 'DetectFaces', 'DetectText']);
  });

  it('stays small for a hostile analysis (hundreds of labels, boxes, faces and text lines)', () => {
    // Prepare
    const input = successInput();
    const boxes = Array.from({ length: 100 }, () => ({ left: 0.1, top: 0.1, width: 0.1, height: 0.1, confidence: 90 }));
    const longList = Array.from({ length: 40 }, () => 'P'.repeat(1000));
    input.analysis!.sections = {
      labels: section('Labels', 500, (i) => ({
        name: `Label number ${i}`,
        confidence: 50,
        boxes,
        attributes: { parents: ['Parent A', 'Parent B'] },
      })),
      moderation: section('Moderation', 200, () => ({ name: 'Suggestive', confidence: 60, attributes: { parentName: '' } })),
      faces: section('Faces', 300, () => ({ name: 'Face', confidence: 99, boxes: [{ left: 0, top: 0, width: 0.1, height: 0.1 }] })),
      text: section('Text', 1000, () => ({ name: 'X'.repeat(5000), confidence: 90 })),
      ...Object.fromEntries(
        Array.from({ length: 30 }, (_, s) => [
          `unknown${s}`,
          section(`Unknown ${s}`, 200, () => ({
            name: 'N'.repeat(5000),
            attributes: Object.fromEntries(Array.from({ length: 50 }, (_, a) => [`a${a}`, longList])),
          })),
        ]),
      ),
    };

    // Act
    const item = successImageItem(input, TIMES);
    const bytes = Buffer.byteLength(JSON.stringify(marshall(item, { removeUndefinedValues: true })));

    // Assess
    const stored = item.analysis as { sections: Record<string, AnalysisSection> };
    expect(bytes).toBeLessThan(150_000);
    expect(Object.keys(stored.sections)).toHaveLength(ANALYSIS_LIMITS.sections);
    expect(item.faceCount).toBe(300);
    expect(stored.sections.labels.items.length).toBeLessThanOrEqual(ANALYSIS_LIMITS.itemsPerSection);
    expect(labelItems(input, TIMES.updatedAt)).toHaveLength(LIMITS.labels);
  });

  it('is accepted by the DynamoDB marshaller', () => {
    // Act
    const marshal = () => marshall(successImageItem(successInput(), TIMES), { removeUndefinedValues: true });

    // Assess
    expect(marshal).not.toThrow();
  });
});

describe('failureImageItem', () => {
  it('holds status FAILED, the error and no analysis results', () => {
    // Prepare
    const request = parseStoreRequest(loadStoreEvent('record-failure'));
    const input = request.input as RecordFailureInput;

    // Act
    const item = failureImageItem(input, TIMES);

    // Assess
    expect(item).toMatchObject({
      PK: `IMAGE#${input.imageId}`,
      SK: 'IMAGE',
      GSI1PK: 'STATUS#FAILED',
      GSI1SK: `${TIMES.updatedAt}#${input.imageId}`,
      status: 'FAILED',
      error: { name: 'CorruptImageError', cause: 'The image data is corrupt: VipsJpeg: Premature end of input file' },
      originalName: 'truncated.jpg',
    });
    expect(item).not.toHaveProperty('analysis');
  });
});

describe('search items', () => {
  it('builds label items with lower-case GSI1PK, the owner-scoped GSI2PK and confidence-sorted GSI1SK, carrying revision, sourceOrder and the search flags', () => {
    // Act
    const items = labelItems(successInput(), TIMES.updatedAt);

    // Assess
    const beach = items.find((i) => i.SK === 'LABEL#Beach');
    expect(beach).toEqual({
      PK: 'IMAGE#4c305750c43906432cd42f52210099f7',
      SK: 'LABEL#Beach',
      type: 'LABEL',
      GSI1PK: 'LABEL#beach',
      GSI2PK: 'OWNER#unowned#LABEL#beach',
      GSI1SK: '099100#4c305750c43906432cd42f52210099f7',
      imageId: '4c305750c43906432cd42f52210099f7',
      owner: 'unowned',
      faceCount: 1,
      moderated: false,
      revision: '4ad423f178deff50',
      sourceOrder: '000000000000000065A1B2C3D4E5F601',
      label: 'Beach',
      confidence: 99.1,
      inherited: false,
      thumbnailKey: 'images/4c305750c43906432cd42f52210099f7/4ad423f178deff50/w256.webp',
      updatedAt: TIMES.updatedAt,
    });
    expect(items.find((i) => i.SK === 'LABEL#Outdoors')).toMatchObject({ inherited: true, GSI1PK: 'LABEL#outdoors', confidence: 99.1 });
  });

  it('builds four hash band items that find every hash within Hamming distance 3', () => {
    // Prepare: flip 3 bits in different bands of the stored hash.
    const input = successInput();
    const stored = BigInt(`0x${input.resize.perceptualHash}`);
    const near = (stored ^ (1n << 3n) ^ (1n << 20n) ^ (1n << 40n)).toString(16).padStart(16, '0');

    // Act
    const items = perceptualHashItems(input, TIMES.updatedAt);
    const nearBands = perceptualHashBands(near).map((band, index) => `PHASH#${index}#${band}`);

    // Assess
    expect(items.map((i) => i.GSI1PK)).toEqual(['PHASH#0#c3d2', 'PHASH#1#a1f0', 'PHASH#2#8e4b', 'PHASH#3#7765']);
    expect(items.map((i) => i.SK)).toEqual(['PHASH#0', 'PHASH#1', 'PHASH#2', 'PHASH#3']);
    expect(items.every((i) => i.perceptualHash === 'c3d2a1f08e4b7765' && i.GSI1SK === input.imageId)).toBe(true);
    expect(items.some((i) => nearBands.includes(String(i.GSI1PK)))).toBe(true);
  });

  it('builds no hash items when the hash is missing', () => {
    // Prepare
    const input = successInput();
    input.resize.perceptualHash = null;

    // Act + Assess
    expect(perceptualHashItems(input, TIMES.updatedAt)).toEqual([]);
  });
});
