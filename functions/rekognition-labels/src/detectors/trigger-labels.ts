import type { Label } from '@aws-sdk/client-rekognition';
import type { AnalysisConfig, DetectSwitch } from '@smart-image-pipeline/contracts';
import type { CallDecision } from './detector';

/**
 * Decides whether an optional call (DetectFaces, DetectText) is worth paying for. "auto" runs it only
 * when a label whose name, alias or parent is a trigger reaches `minTriggerConfidence`; a child label
 * ("Woman", parent "Person") counts, since DetectLabels may have cut the parent off at `maxLabels`.
 */
export function decideCall(
  mode: DetectSwitch,
  triggers: readonly string[],
  labels: readonly Label[],
  minTriggerConfidence: number,
  what: string,
): CallDecision {
  if (mode === 'never') return { run: false, reason: 'disabled by config' };
  if (mode === 'always') return { run: true, because: 'enabled by config' };
  const wanted = new Set(triggers.map((name) => name.toLowerCase()));
  for (const label of labels) {
    if ((label.Confidence ?? 0) < minTriggerConfidence) continue;
    const names = [label.Name, ...(label.Aliases ?? []).map((a) => a.Name), ...(label.Parents ?? []).map((p) => p.Name)];
    const hit = names.find((name) => name !== undefined && wanted.has(name.toLowerCase()));
    if (hit !== undefined) return { run: true, because: `${label.Name} ${(label.Confidence ?? 0).toFixed(1)}` };
  }
  return { run: false, reason: `no ${what}-like label` };
}

/**
 * DetectLabels' MinConfidence: low enough that a trigger label between the trigger and the label
 * threshold still comes back (the summary filters to `minLabelConfidence` afterwards); same price.
 */
export function labelRequestMinConfidence(config: AnalysisConfig): number {
  return Math.min(config.minLabelConfidence, config.minTriggerConfidence);
}
