import type { RekognitionCall } from './types';

const FILE_NAMES: Record<RekognitionCall, string> = {
  DetectLabels: 'detect-labels.json',
  DetectModerationLabels: 'detect-moderation-labels.json',
  DetectFaces: 'detect-faces.json',
  DetectText: 'detect-text.json',
};

/** The processed-bucket key of one raw Rekognition response (docs/contracts.md, "Processed bucket layout"). */
export function rawResponseKey(imageId: string, revision: string, call: RekognitionCall): string {
  return `images/${imageId}/${revision}/rekognition/${FILE_NAMES[call]}`;
}
