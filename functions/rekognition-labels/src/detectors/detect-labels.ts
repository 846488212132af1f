import {
  DetectLabelsCommand,
  type DetectLabelsImageProperties,
  type DetectLabelsRequest,
  type DetectLabelsResponse,
  type DominantColor,
} from '@aws-sdk/client-rekognition';
import { SECTION_IDS, type AnalysisSection, type SectionItem } from '@smart-image-pipeline/contracts';
import type { Detector } from './detector';
import { box, byConfidence, clipName, round1, SUMMARY_LIMITS } from './summary-format';
import { labelRequestMinConfidence } from './trigger-labels';

/** Keeps the most confident labels at or above `minConfidence`, with parents, instance count and a few instance boxes. */
export function labelsSection(response: DetectLabelsResponse, minConfidence: number): AnalysisSection {
  const items = (response.Labels ?? [])
    .filter((label) => (label.Confidence ?? 0) >= minConfidence && label.Name)
    .sort(byConfidence)
    .slice(0, SUMMARY_LIMITS.labels)
    .map((label): SectionItem => ({
      name: clipName(label.Name),
      confidence: round1(label.Confidence),
      boxes: [...(label.Instances ?? [])]
        .sort(byConfidence)
        .slice(0, SUMMARY_LIMITS.boxesPerLabel)
        .map((instance) => ({ ...box(instance.BoundingBox), confidence: round1(instance.Confidence) })),
      attributes: {
        parents: (label.Parents ?? []).slice(0, SUMMARY_LIMITS.parentsPerLabel).map((parent) => clipName(parent.Name)),
        instances: label.Instances?.length ?? 0,
      },
    }));
  return { title: 'Labels', detector: 'DetectLabels', items };
}

function hex(color: DominantColor): string {
  if (color.HexCode && /^#?[0-9a-f]{6}$/i.test(color.HexCode)) return `#${color.HexCode.replace('#', '').toLowerCase()}`;
  const channel = (value: number | undefined): string =>
    Math.max(0, Math.min(255, Math.round(value ?? 0)))
      .toString(16)
      .padStart(2, '0');
  return `#${channel(color.Red)}${channel(color.Green)}${channel(color.Blue)}`;
}

/**
 * The whole-image dominant colours (largest share first) and quality: from DetectLabels' IMAGE_PROPERTIES feature,
 * or, in the same shape, from what ResizeImage computed with sharp (`detector` names which).
 */
export function imagePropertiesSection(properties: DetectLabelsImageProperties | undefined, detector = 'DetectLabels'): AnalysisSection {
  const quality = properties?.Quality;
  const items = [...(properties?.DominantColors ?? [])]
    .sort((a, b) => (b.PixelPercent ?? 0) - (a.PixelPercent ?? 0))
    .slice(0, SUMMARY_LIMITS.dominantColors)
    .map((color): SectionItem => {
      const code = hex(color);
      return {
        name: clipName(color.CSSColor) || code,
        attributes: { hex: code, simplifiedColor: clipName(color.SimplifiedColor), pixelPercent: round1(color.PixelPercent) },
      };
    });
  const facts = quality
    ? { brightness: round1(quality.Brightness), sharpness: round1(quality.Sharpness), contrast: round1(quality.Contrast) }
    : undefined;
  return { title: 'Dominant colours and quality', detector, items, ...(facts ? { facts } : {}) };
}

/**
 * DetectLabels with GENERAL_LABELS on every image, and IMAGE_PROPERTIES (billed separately) only when the config's
 * `rekognitionImageProperties` asks for it (ResizeImage's sharp figures stand in otherwise). It asks for labels
 * down to the trigger confidence, so the optional calls can be decided from them; the summary keeps only labels
 * at or above `minLabelConfidence`.
 */
export const detectLabels: Detector<DetectLabelsRequest, DetectLabelsResponse> = {
  name: 'DetectLabels',
  iamAction: 'rekognition:DetectLabels',
  rawFile: 'detect-labels.json',
  runs: { kind: 'always' },
  request: (Image, config) => ({
    Image,
    Features: config.rekognitionImageProperties ? ['GENERAL_LABELS', 'IMAGE_PROPERTIES'] : ['GENERAL_LABELS'],
    MinConfidence: labelRequestMinConfidence(config),
    MaxLabels: config.maxLabels,
  }),
  command: (request) => new DetectLabelsCommand(request),
  summarise: (response, config) => ({
    [SECTION_IDS.labels]: labelsSection(response, config.minLabelConfidence),
    ...(config.rekognitionImageProperties ? { [SECTION_IDS.imageProperties]: imagePropertiesSection(response.ImageProperties) } : {}),
  }),
};
