import {
  DetectModerationLabelsCommand,
  type DetectModerationLabelsRequest,
  type DetectModerationLabelsResponse,
} from '@aws-sdk/client-rekognition';
import { SECTION_IDS, type AnalysisSection } from '@smart-image-pipeline/contracts';
import type { Detector } from './detector';
import { byConfidence, clipName, round1, SUMMARY_LIMITS } from './summary-format';
import { decideCall } from './trigger-labels';

/** Keeps the most confident moderation labels with their parent in Rekognition's taxonomy. */
export function moderationSection(response: DetectModerationLabelsResponse): AnalysisSection {
  const items = [...(response.ModerationLabels ?? [])]
    .filter((label) => label.Name)
    .sort(byConfidence)
    .slice(0, SUMMARY_LIMITS.moderation)
    .map((label) => ({
      name: clipName(label.Name),
      confidence: round1(label.Confidence),
      attributes: { parentName: clipName(label.ParentName) },
    }));
  return { title: 'Moderation', detector: 'DetectModerationLabels', items };
}

/**
 * DetectModerationLabels (switch `detectModeration`). "auto" pays for it only when DetectLabels saw something
 * moderation is about: a person, bare skin or revealing clothing, art, a weapon or blood (`moderationTriggerLabels`).
 * The trade-off: an image with none of those labels (e.g. a photo of pills or a hate symbol on a wall) is not
 * moderated; set "always" where every upload is shown to others.
 */
export const detectModerationLabels: Detector<DetectModerationLabelsRequest, DetectModerationLabelsResponse> = {
  name: 'DetectModerationLabels',
  iamAction: 'rekognition:DetectModerationLabels',
  rawFile: 'detect-moderation-labels.json',
  runs: {
    kind: 'afterLabels',
    configSwitch: 'detectModeration',
    decide: (labels, config) =>
      decideCall(config.detectModeration, config.moderationTriggerLabels, labels, config.minTriggerConfidence, 'moderation'),
  },
  request: (Image, config) => ({ Image, MinConfidence: config.minModerationConfidence }),
  command: (request) => new DetectModerationLabelsCommand(request),
  summarise: (response) => ({ [SECTION_IDS.moderation]: moderationSection(response) }),
};
