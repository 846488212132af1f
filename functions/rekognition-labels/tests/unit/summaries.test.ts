import type { DetectFacesResponse, DetectLabelsResponse, DetectTextResponse } from '@aws-sdk/client-rekognition';
import { analysisSummarySchema, stringListAttribute } from '@smart-image-pipeline/contracts';
import { facesSection } from '../../src/detectors/detect-faces';
import { imagePropertiesSection, labelsSection } from '../../src/detectors/detect-labels';
import { moderationSection } from '../../src/detectors/detect-moderation-labels';
import { textSection } from '../../src/detectors/detect-text';
import { SUMMARY_LIMITS } from '../../src/detectors/summary-format';
import { responses } from './fixtures';

describe('labelsSection', () => {
  it('keeps name, confidence to 0.1, parent names, instance count and boxes, above the label threshold', () => {
    // Act
    const { title, detector, items: labels } = labelsSection(responses.labelsPerson(), 70);

    // Assess
    expect([title, detector]).toEqual(['Labels', 'DetectLabels']);
    expect(labels.map((label) => label.name)).toEqual([
      'Person',
      'Adult',
      'Female',
      'Woman',
      'Clothing',
      'Dress',
      'Shoe',
      'Footwear',
      'Text',
    ]);
    expect(labels[0]).toEqual({
      name: 'Person',
      confidence: 99.4,
      boxes: [{ left: 0.3072, top: 0.0411, width: 0.3959, height: 0.9386, confidence: 99.4 }],
      attributes: { parents: [], instances: 1 },
    });
    expect(stringListAttribute(labels[3], 'parents')).toEqual(['Adult', 'Female', 'Person']);
    expect(labels[6]).toMatchObject({ name: 'Shoe', confidence: 80.1, attributes: { instances: 2 } });
    expect(labels[6].boxes?.map((b) => b.confidence)).toEqual([80.1, 77.5]);
  });

  it('orders labels by confidence, most confident first', () => {
    // Prepare
    const response: DetectLabelsResponse = {
      Labels: [
        { Name: 'Cat', Confidence: 71 },
        { Name: 'Dog', Confidence: 98 },
        { Name: 'Pet', Confidence: 85 },
      ],
    };

    // Act
    const { items } = labelsSection(response, 70);

    // Assess
    expect(items.map((label) => label.name)).toEqual(['Dog', 'Pet', 'Cat']);
  });
});

describe('moderationSection', () => {
  it('keeps name, parent name and confidence', () => {
    // Act
    const { items } = moderationSection(responses.moderationPerson());

    // Assess
    expect(items).toEqual([
      { name: 'Swimwear or Underwear', confidence: 64.3, attributes: { parentName: '' } },
      { name: 'Female Swimwear or Underwear', confidence: 64.3, attributes: { parentName: 'Swimwear or Underwear' } },
    ]);
  });

  it('returns an empty list when nothing is flagged', () => {
    // Act
    const { items } = moderationSection(responses.moderationLandscape());

    // Assess
    expect(items).toEqual([]);
  });
});

describe('facesSection', () => {
  it('keeps confidence, a lower-camel box, age range, gender, the strongest emotion and smile', () => {
    // Act
    const { items } = facesSection(responses.faces());

    // Assess
    expect(items).toEqual([
      {
        name: 'Face',
        confidence: 100,
        boxes: [{ left: 0.4432, top: 0.0826, width: 0.113, height: 0.1514 }],
        attributes: { ageRange: '24-32', gender: 'Female', emotion: 'HAPPY', smile: true },
      },
    ]);
  });

  it('keeps the largest faces when there are more than the cap', () => {
    // Prepare
    const response: DetectFacesResponse = {
      FaceDetails: Array.from({ length: 30 }, (_, i) => ({
        Confidence: 90,
        BoundingBox: { Left: 0, Top: 0, Width: (i + 1) / 100, Height: (i + 1) / 100 },
      })),
    };

    // Act
    const { items: faces } = facesSection(response);

    // Assess
    expect(faces).toHaveLength(SUMMARY_LIMITS.faces);
    expect(faces[0].boxes?.[0].width).toBe(0.3);
    expect(faces.at(-1)?.boxes?.[0].width).toBe(0.11);
    expect(faces[0].attributes).toEqual({ ageRange: null, gender: null, emotion: null, smile: null });
  });
});

describe('textSection', () => {
  it('keeps LINE detections only, in reading order', () => {
    // Act
    const { items } = textSection(responses.text());

    // Assess
    expect(items).toEqual([
      { name: 'SUMMER SALE', confidence: 99.3 },
      { name: 'UP TO 50% OFF', confidence: 97.3 },
    ]);
  });

  it('clips a long line to the character cap without splitting a surrogate pair', () => {
    // Prepare
    const long = '😀'.repeat(150) + 'x'.repeat(150);
    const response: DetectTextResponse = { TextDetections: [{ DetectedText: long, Type: 'LINE', Confidence: 90 }] };

    // Act
    const [line] = textSection(response).items;

    // Assess
    expect(Array.from(line.name)).toHaveLength(SUMMARY_LIMITS.textChars);
    expect(line.name.endsWith('x'.repeat(50))).toBe(true);
    expect(line.name).not.toMatch(/[\uD800-\uDBFF]$/);
  });
});

describe('imagePropertiesSection', () => {
  it('keeps dominant colours as lower-case hex with CSS and simplified names, and the quality', () => {
    // Act
    const properties = imagePropertiesSection(responses.labelsPerson().ImageProperties);

    // Assess
    expect(properties.items[0]).toEqual({
      name: 'antiquewhite',
      attributes: { hex: '#e9e2d6', simplifiedColor: 'white', pixelPercent: 31.4 },
    });
    expect(properties.items.map((color) => color.attributes?.pixelPercent)).toEqual([31.4, 18.8, 14.1, 11.6, 6.3]);
    expect(properties.facts).toEqual({ brightness: 71.2, sharpness: 88, contrast: 60.3 });
  });

  it('builds the hex code from RGB when HexCode is absent', () => {
    // Prepare
    const response: DetectLabelsResponse = {
      ImageProperties: { DominantColors: [{ Red: 255, Green: 8, Blue: 127, CSSColor: 'deeppink', PixelPercent: 100 }] },
    };

    // Act
    const properties = imagePropertiesSection(response.ImageProperties);

    // Assess
    expect(properties).toEqual({
      title: 'Dominant colours and quality',
      detector: 'DetectLabels',
      items: [{ name: 'deeppink', attributes: { hex: '#ff087f', simplifiedColor: '', pixelPercent: 100 } }],
    });
  });
});

describe('summary size', () => {
  it('stays under 64 KB for a response with 1000 long labels, faces, colours and text lines', () => {
    // Prepare
    const box = { Left: 0.123456789, Top: 0.123456789, Width: 0.123456789, Height: 0.123456789 };
    const labels: DetectLabelsResponse = {
      Labels: Array.from({ length: 1000 }, (_, i) => ({
        Name: `Label number ${i} ${'n'.repeat(200)}`,
        Confidence: 99.99 - i / 100,
        Parents: Array.from({ length: 40 }, (__, p) => ({ Name: `Parent ${p} ${'p'.repeat(200)}` })),
        Instances: Array.from({ length: 100 }, () => ({ BoundingBox: box, Confidence: 97.123456 })),
      })),
      ImageProperties: {
        DominantColors: Array.from({ length: 1000 }, () => ({ HexCode: '#ABCDEF', CSSColor: 'c'.repeat(500), PixelPercent: 0.1 })),
      },
    };
    const moderation = {
      ModerationLabels: Array.from({ length: 1000 }, (_, i) => ({ Name: `Moderation ${i}`, ParentName: 'Parent', Confidence: 90 })),
    };
    const faces: DetectFacesResponse = {
      FaceDetails: Array.from({ length: 1000 }, () => responses.faces().FaceDetails![0]),
    };
    const text: DetectTextResponse = {
      TextDetections: Array.from({ length: 1000 }, (_, i) => ({ DetectedText: `${i} ${'t'.repeat(5000)}`, Type: 'LINE', Confidence: 90 })),
    };

    // Act
    const sections = {
      labels: labelsSection(labels, 70),
      moderation: moderationSection(moderation),
      faces: facesSection(faces),
      text: textSection(text),
      imageProperties: imagePropertiesSection(labels.ImageProperties),
    };
    const summary = { sections, calls: ['DetectLabels'], skipped: {}, rawKeys: {} };
    const bytes = Buffer.byteLength(JSON.stringify(summary));

    // Assess
    expect(analysisSummarySchema.safeParse(summary).error).toBeUndefined();
    expect(sections.labels.items).toHaveLength(SUMMARY_LIMITS.labels);
    expect(sections.labels.items[0].boxes).toHaveLength(SUMMARY_LIMITS.boxesPerLabel);
    expect(sections.labels.items[0].attributes?.instances).toBe(100);
    expect(sections.moderation.items).toHaveLength(SUMMARY_LIMITS.moderation);
    expect(sections.faces.items).toHaveLength(SUMMARY_LIMITS.faces);
    expect(sections.text.items).toHaveLength(SUMMARY_LIMITS.textLines);
    expect(sections.imageProperties.items).toHaveLength(SUMMARY_LIMITS.dominantColors);
    expect(bytes).toBeLessThan(64 * 1024);
  });
});
