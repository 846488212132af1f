import { DetectTextCommand, type DetectTextRequest, type DetectTextResponse } from '@aws-sdk/client-rekognition';
import { SECTION_IDS, type AnalysisSection } from '@smart-image-pipeline/contracts';
import type { Detector } from './detector';
import { clip, round1, SUMMARY_LIMITS } from './summary-format';
import { decideCall } from './trigger-labels';

/** Keeps LINE detections only (WORDs repeat them), in reading order, each clipped. */
export function textSection(response: DetectTextResponse): AnalysisSection {
  const items = (response.TextDetections ?? [])
    .filter((detection) => detection.Type === 'LINE' && detection.DetectedText)
    .slice(0, SUMMARY_LIMITS.textLines)
    .map((detection) => ({ name: clip(detection.DetectedText, SUMMARY_LIMITS.textChars), confidence: round1(detection.Confidence) }));
  return { title: 'Detected text', detector: 'DetectText', items };
}

/** DetectText, when a text-like label is present (switch `detectText`). */
export const detectText: Detector<DetectTextRequest, DetectTextResponse> = {
  name: 'DetectText',
  iamAction: 'rekognition:DetectText',
  rawFile: 'detect-text.json',
  runs: {
    kind: 'afterLabels',
    configSwitch: 'detectText',
    decide: (labels, config) => decideCall(config.detectText, config.textTriggerLabels, labels, config.minTriggerConfidence, 'text'),
  },
  request: (Image) => ({ Image }),
  command: (request) => new DetectTextCommand(request),
  summarise: (response) => ({ [SECTION_IDS.text]: textSection(response) }),
};
