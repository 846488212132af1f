import type { DetectModerationLabelsResponse, ModerationLabel } from '@aws-sdk/client-rekognition';
import { calibrate, SWIMWEAR_POINTS } from './calibration';

/** nsfwjs' five class probabilities (0–1). */
export interface NsfwScores {
  Drawing: number;
  Hentai: number;
  Neutral: number;
  Porn: number;
  Sexy: number;
}

/** The taxonomy version these names come from (Rekognition's moderation model 7). */
export const MODERATION_MODEL_VERSION = '7.0';

/**
 * Maps nsfwjs' classes onto Rekognition's moderation taxonomy: Porn and Hentai are Explicit / Explicit Nudity,
 * Sexy is Swimwear or Underwear (the closest top-level label to "suggestive", calibrated: SWIMWEAR_POINTS), and
 * drawings set the Illustrated content type.
 */
export function toModerationResponse(scores: NsfwScores, minConfidence: number): DetectModerationLabelsResponse {
  const percent = (value: number) => Math.round(value * 100000) / 1000;
  const explicit = percent(scores.Porn + scores.Hentai);
  const candidates: ModerationLabel[] = [
    { Name: 'Explicit', ParentName: '', TaxonomyLevel: 1, Confidence: explicit },
    { Name: 'Explicit Nudity', ParentName: 'Explicit', TaxonomyLevel: 2, Confidence: explicit },
    { Name: 'Swimwear or Underwear', ParentName: '', TaxonomyLevel: 1, Confidence: calibrate(scores.Sexy, SWIMWEAR_POINTS) },
  ];
  const illustrated = percent(scores.Drawing + scores.Hentai);
  return {
    ModerationLabels: candidates
      .filter((label) => (label.Confidence ?? 0) >= minConfidence)
      .sort((a, b) => (b.Confidence ?? 0) - (a.Confidence ?? 0) || (a.TaxonomyLevel ?? 0) - (b.TaxonomyLevel ?? 0)),
    ModerationModelVersion: MODERATION_MODEL_VERSION,
    ContentTypes: illustrated >= minConfidence ? [{ Name: 'Illustrated', Confidence: illustrated }] : [],
  };
}
