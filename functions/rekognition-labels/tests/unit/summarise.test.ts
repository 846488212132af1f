import type { DetectFacesResponse, DetectLabelsResponse, DetectTextResponse } from '@aws-sdk/client-rekognition';
import {
  SUMMARY_LIMITS,
  summariseFaces,
  summariseImageProperties,
  summariseLabels,
  summariseModeration,
  summariseText,
} from '../../src/summarise';
import { responses } from './fixtures';

describe('summariseLabels', () => {
  it('keeps name, confidence to 0.1, parent names, instance count and boxes, above the label threshold', () => {
    // Act
    const labels = summariseLabels(responses.labelsPerson(), 70);

    // Assess
    expect(labels.map((label) => label.name)).toEqual([
      'Person', 'Adult', 'Female', 'Woman', 'Clothing', 'Dress', 'Shoe', 'Footwear', 'Text',
    ]);
    expect(labels[0]).toEqual({
      name: 'Person',
      confidence: 99.4,
      parents: [],
      instances: 1,
      boxes: [{ left: 0.3072, top: 0.0411, width: 0.3959, height: 0.9386, confidence: 99.4 }],
    });
    expect(labels[3].parents).toEqual(['Adult', 'Female', 'Person']);
    expect(labels[6]).toMatchObject({ name: 'Shoe', confidence: 80.1, instances: 2 });
    expect(labels[6].boxes.map((b) => b.confidence)).toEqual([80.1, 77.5]);
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
    const labels = summariseLabels(response, 70);

    // Assess
    expect(labels.map((label) => label.name)).toEqual(['Dog', 'Pet', 'Cat']);
  });
});

describe('summariseModeration', () => {
  it('keeps name, parent name and confidence', () => {
    // Act
    const moderation = summariseModeration(responses.moderationPerson());

    // Assess
    expect(moderation).toEqual([
      { name: 'Swimwear or Underwear', parentName: '', confidence: 64.3 },
      { name: 'Female Swimwear or Underwear', parentName: 'Swimwear or Underwear', confidence: 64.3 },
    ]);
  });

  it('returns an empty list when nothing is flagged', () => {
    // Act
    const moderation = summariseModeration(responses.moderationLandscape());

    // Assess
    expect(moderation).toEqual([]);
  });
});

describe('summariseFaces', () => {
  it('keeps confidence, a lower-camel box, age range, gender, the strongest emotion and smile', () => {
    // Act
    const faces = summariseFaces(responses.faces());

    // Assess
    expect(faces).toEqual([
      {
        confidence: 100,
        boundingBox: { left: 0.4432, top: 0.0826, width: 0.113, height: 0.1514 },
        ageRange: { low: 24, high: 32 },
        gender: 'Female',
        emotion: 'HAPPY',
        smile: true,
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
    const faces = summariseFaces(response);

    // Assess
    expect(faces).toHaveLength(SUMMARY_LIMITS.faces);
    expect(faces[0].boundingBox.width).toBe(0.3);
    expect(faces.at(-1)?.boundingBox.width).toBe(0.11);
    expect(faces[0]).toMatchObject({ ageRange: null, gender: null, emotion: null, smile: null });
  });
});

describe('summariseText', () => {
  it('keeps LINE detections only, in reading order', () => {
    // Act
    const text = summariseText(responses.text());

    // Assess
    expect(text).toEqual([
      { text: 'SUMMER SALE', confidence: 99.3 },
      { text: 'UP TO 50% OFF', confidence: 97.3 },
    ]);
  });

  it('clips a long line to the character cap without splitting a surrogate pair', () => {
    // Prepare
    const long = '😀'.repeat(150) + 'x'.repeat(150);
    const response: DetectTextResponse = { TextDetections: [{ DetectedText: long, Type: 'LINE', Confidence: 90 }] };

    // Act
    const [line] = summariseText(response);

    // Assess
    expect(Array.from(line.text)).toHaveLength(SUMMARY_LIMITS.textChars);
    expect(line.text.endsWith('x'.repeat(50))).toBe(true);
    expect(line.text).not.toMatch(/[\uD800-\uDBFF]$/);
  });
});

describe('summariseImageProperties', () => {
  it('keeps dominant colours as lower-case hex with CSS and simplified names, and the quality', () => {
    // Act
    const properties = summariseImageProperties(responses.labelsPerson());

    // Assess
    expect(properties.dominantColors[0]).toEqual({
      hex: '#e9e2d6',
      cssColor: 'antiquewhite',
      simplifiedColor: 'white',
      pixelPercent: 31.4,
    });
    expect(properties.dominantColors.map((color) => color.pixelPercent)).toEqual([31.4, 18.8, 14.1, 11.6, 6.3]);
    expect(properties.quality).toEqual({ brightness: 71.2, sharpness: 88, contrast: 60.3 });
  });

  it('builds the hex code from RGB when HexCode is absent', () => {
    // Prepare
    const response: DetectLabelsResponse = {
      ImageProperties: { DominantColors: [{ Red: 255, Green: 8, Blue: 127, CSSColor: 'deeppink', PixelPercent: 100 }] },
    };

    // Act
    const properties = summariseImageProperties(response);

    // Assess
    expect(properties).toEqual({
      dominantColors: [{ hex: '#ff087f', cssColor: 'deeppink', simplifiedColor: '', pixelPercent: 100 }],
      quality: null,
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
    const summary = {
      labels: summariseLabels(labels, 70),
      moderation: summariseModeration(moderation),
      faces: summariseFaces(faces),
      text: summariseText(text),
      imageProperties: summariseImageProperties(labels),
    };
    const bytes = Buffer.byteLength(JSON.stringify(summary));

    // Assess
    expect(summary.labels).toHaveLength(SUMMARY_LIMITS.labels);
    expect(summary.labels[0].boxes).toHaveLength(SUMMARY_LIMITS.boxesPerLabel);
    expect(summary.labels[0].instances).toBe(100);
    expect(summary.moderation).toHaveLength(SUMMARY_LIMITS.moderation);
    expect(summary.faces).toHaveLength(SUMMARY_LIMITS.faces);
    expect(summary.text).toHaveLength(SUMMARY_LIMITS.textLines);
    expect(summary.imageProperties.dominantColors).toHaveLength(SUMMARY_LIMITS.dominantColors);
    expect(bytes).toBeLessThan(64 * 1024);
  });
});
