import { DetectFacesCommand, type BoundingBox, type DetectFacesRequest, type DetectFacesResponse } from '@aws-sdk/client-rekognition';
import { SECTION_IDS, type AnalysisSection } from '@smart-image-pipeline/contracts';
import type { Detector } from './detector';
import { box, byConfidence, round1, SUMMARY_LIMITS } from './summary-format';
import { decideCall } from './trigger-labels';

/** Keeps the largest faces, each with its box, age range, gender, strongest emotion and smile (null when not returned). */
export function facesSection(response: DetectFacesResponse): AnalysisSection {
  const area = (b: BoundingBox | undefined): number => (b?.Width ?? 0) * (b?.Height ?? 0);
  const items = [...(response.FaceDetails ?? [])]
    .sort((a, b) => area(b.BoundingBox) - area(a.BoundingBox))
    .slice(0, SUMMARY_LIMITS.faces)
    .map((face) => ({
      name: 'Face',
      confidence: round1(face.Confidence),
      boxes: [box(face.BoundingBox)],
      attributes: {
        ageRange: face.AgeRange ? `${face.AgeRange.Low ?? 0}-${face.AgeRange.High ?? 0}` : null,
        gender: face.Gender?.Value ?? null,
        emotion: [...(face.Emotions ?? [])].sort(byConfidence)[0]?.Type ?? null,
        smile: face.Smile?.Value ?? null,
      },
    }));
  return { title: 'Faces', detector: 'DetectFaces', items };
}

/** DetectFaces with every attribute, when a person-like label is present (switch `detectFaces`). */
export const detectFaces: Detector<DetectFacesRequest, DetectFacesResponse> = {
  name: 'DetectFaces',
  iamAction: 'rekognition:DetectFaces',
  rawFile: 'detect-faces.json',
  runs: {
    kind: 'afterLabels',
    configSwitch: 'detectFaces',
    decide: (labels, config) => decideCall(config.detectFaces, config.faceTriggerLabels, labels, config.minTriggerConfidence, 'person'),
  },
  request: (Image) => ({ Image, Attributes: ['ALL'] }),
  command: (request) => new DetectFacesCommand(request),
  summarise: (response) => ({ [SECTION_IDS.faces]: facesSection(response) }),
};
