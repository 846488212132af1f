import { analysisOf, faceCountOf, labelsOf } from '../../src/images/image-analysis';
import { matchLabel } from '../../src/images/image-filters';
import type { ImageItem } from '../../src/images/image-item';
import { toImageDetail } from '../../src/images/image-views';

const ID = 'a'.repeat(32);

const sections = {
  labels: { title: 'Labels', detector: 'DetectLabels', items: [{ name: 'Dog', confidence: 97, attributes: { parents: ['Animal'] } }] },
  celebrities: {
    title: 'Celebrities',
    detector: 'RecognizeCelebrities',
    items: [{ name: 'Ada Lovelace', confidence: 99, boxes: [{ left: 0.1, top: 0.1, width: 0.2, height: 0.2 }] }],
  },
};

describe('image analysis in the API', () => {
  it('gives the detail page every stored section, one it has never heard of too', async () => {
    // Prepare
    const item: ImageItem = {
      imageId: ID,
      status: 'SUCCEEDED',
      analysis: { sections, calls: ['DetectLabels', 'RecognizeCelebrities'], skipped: {}, rawKeys: {} },
    };

    // Act
    const detail = await toImageDetail(item, async (variant) => `https://example.test/${variant.key}`);

    // Assess
    expect(detail.analysis?.sections).toEqual(sections);
    expect(matchLabel(item, 'animal')).toEqual({ name: 'Animal', confidence: 97 });
  });

  it('reads an item written before the analysis became sections as the same sections', async () => {
    // Prepare
    const legacy: ImageItem = {
      imageId: ID,
      labels: [{ name: 'Dog', confidence: 97, parents: ['Animal'], boxes: [{ left: 0, top: 0, width: 1, height: 1 }] }],
      faces: [{ confidence: 99, boundingBox: { left: 0.1, top: 0.1, width: 0.1, height: 0.1 }, gender: 'Female' }],
      text: [{ text: 'OPEN', confidence: 90 }],
    };

    // Act
    const analysis = analysisOf(legacy);

    // Assess
    expect(labelsOf(legacy)).toEqual([{ name: 'Dog', confidence: 97, parents: ['Animal'] }]);
    expect(faceCountOf(legacy)).toBe(1);
    expect(analysis?.sections.faces.items[0]).toMatchObject({
      name: 'Face',
      boxes: [{ left: 0.1, top: 0.1, width: 0.1, height: 0.1 }],
      attributes: { gender: 'Female' },
    });
    expect(analysis?.sections.text.items).toEqual([{ name: 'OPEN', confidence: 90 }]);
    expect(await toImageDetail(legacy, async () => 'x')).not.toHaveProperty('labels');
  });

  it('has no analysis for an image that was not analysed', () => {
    expect(analysisOf({ imageId: ID, status: 'SUCCEEDED', analysis: null })).toBeNull();
  });
});
