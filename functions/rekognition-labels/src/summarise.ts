import type {
  BoundingBox,
  DetectFacesResponse,
  DetectLabelsResponse,
  DetectModerationLabelsResponse,
  DetectTextResponse,
  DominantColor,
} from '@aws-sdk/client-rekognition';
import type { Box, FaceSummary, ImagePropertiesSummary, LabelSummary, ModerationSummary, TextSummary } from './types';

/**
 * Caps that keep the summary a few tens of KB whatever Rekognition returns, far under the
 * 256 KB state limit that it shares with the resize result. The raw JSON in S3 keeps everything.
 */
export const SUMMARY_LIMITS = Object.freeze({
  labels: 50,
  parentsPerLabel: 5,
  boxesPerLabel: 5,
  moderation: 30,
  faces: 20,
  textLines: 50,
  textChars: 200,
  dominantColors: 10,
  nameChars: 64,
});

const round1 = (value: number | undefined): number => Math.round((value ?? 0) * 10) / 10;
const round4 = (value: number | undefined): number => Math.round((value ?? 0) * 10_000) / 10_000;
const clip = (text: string | undefined, max: number): string => Array.from(text ?? '').slice(0, max).join('');
const name = (text: string | undefined): string => clip(text, SUMMARY_LIMITS.nameChars);
const byConfidence = <T extends { Confidence?: number }>(a: T, b: T): number => (b.Confidence ?? 0) - (a.Confidence ?? 0);

function box(b: BoundingBox | undefined): Box {
  return { left: round4(b?.Left), top: round4(b?.Top), width: round4(b?.Width), height: round4(b?.Height) };
}

/** Keeps the most confident labels at or above `minConfidence`, with parents and a few instance boxes. */
export function summariseLabels(response: DetectLabelsResponse, minConfidence: number): LabelSummary[] {
  return (response.Labels ?? [])
    .filter((label) => (label.Confidence ?? 0) >= minConfidence && label.Name)
    .sort(byConfidence)
    .slice(0, SUMMARY_LIMITS.labels)
    .map((label) => ({
      name: name(label.Name),
      confidence: round1(label.Confidence),
      parents: (label.Parents ?? []).slice(0, SUMMARY_LIMITS.parentsPerLabel).map((parent) => name(parent.Name)),
      instances: label.Instances?.length ?? 0,
      boxes: [...(label.Instances ?? [])]
        .sort(byConfidence)
        .slice(0, SUMMARY_LIMITS.boxesPerLabel)
        .map((instance) => ({ ...box(instance.BoundingBox), confidence: round1(instance.Confidence) })),
    }));
}

/** Keeps the most confident moderation labels with their parent in Rekognition's taxonomy. */
export function summariseModeration(response: DetectModerationLabelsResponse): ModerationSummary[] {
  return [...(response.ModerationLabels ?? [])]
    .sort(byConfidence)
    .slice(0, SUMMARY_LIMITS.moderation)
    .map((label) => ({ name: name(label.Name), parentName: name(label.ParentName), confidence: round1(label.Confidence) }));
}

/** Keeps the largest faces, each with its box, age range, gender, strongest emotion and smile. */
export function summariseFaces(response: DetectFacesResponse): FaceSummary[] {
  const area = (b: BoundingBox | undefined): number => (b?.Width ?? 0) * (b?.Height ?? 0);
  return [...(response.FaceDetails ?? [])]
    .sort((a, b) => area(b.BoundingBox) - area(a.BoundingBox))
    .slice(0, SUMMARY_LIMITS.faces)
    .map((face) => ({
      confidence: round1(face.Confidence),
      boundingBox: box(face.BoundingBox),
      ageRange: face.AgeRange ? { low: face.AgeRange.Low ?? 0, high: face.AgeRange.High ?? 0 } : null,
      gender: face.Gender?.Value ?? null,
      emotion: [...(face.Emotions ?? [])].sort(byConfidence)[0]?.Type ?? null,
      smile: face.Smile?.Value ?? null,
    }));
}

/** Keeps LINE detections only (WORDs repeat them), in reading order, each clipped. */
export function summariseText(response: DetectTextResponse): TextSummary[] {
  return (response.TextDetections ?? [])
    .filter((detection) => detection.Type === 'LINE' && detection.DetectedText)
    .slice(0, SUMMARY_LIMITS.textLines)
    .map((detection) => ({ text: clip(detection.DetectedText, SUMMARY_LIMITS.textChars), confidence: round1(detection.Confidence) }));
}

function hex(color: DominantColor): string {
  if (color.HexCode && /^#?[0-9a-f]{6}$/i.test(color.HexCode)) return `#${color.HexCode.replace('#', '').toLowerCase()}`;
  const channel = (value: number | undefined): string => Math.max(0, Math.min(255, Math.round(value ?? 0))).toString(16).padStart(2, '0');
  return `#${channel(color.Red)}${channel(color.Green)}${channel(color.Blue)}`;
}

/** Keeps the whole-image dominant colours and quality from DetectLabels' IMAGE_PROPERTIES feature. */
export function summariseImageProperties(response: DetectLabelsResponse): ImagePropertiesSummary {
  const properties = response.ImageProperties;
  const quality = properties?.Quality;
  return {
    dominantColors: [...(properties?.DominantColors ?? [])]
      .sort((a, b) => (b.PixelPercent ?? 0) - (a.PixelPercent ?? 0))
      .slice(0, SUMMARY_LIMITS.dominantColors)
      .map((color) => ({
        hex: hex(color),
        cssColor: name(color.CSSColor),
        simplifiedColor: name(color.SimplifiedColor),
        pixelPercent: round1(color.PixelPercent),
      })),
    quality: quality
      ? { brightness: round1(quality.Brightness), sharpness: round1(quality.Sharpness), contrast: round1(quality.Contrast) }
      : null,
  };
}
