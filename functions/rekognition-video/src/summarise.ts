import { SECTION_IDS, type AnalysisSection, type SectionItem } from '@smart-image-pipeline/contracts';

/** One detection as Rekognition Video returns it with AggregateBy SEGMENTS (or TIMESTAMPS, then start = end). */
export interface Detection {
  name: string;
  confidence: number;
  startMs: number;
  endMs: number;
  parents?: string[];
  parentName?: string;
}

/** Caps that keep the summary (and the image item) small whatever the video's length. */
export const VIDEO_SUMMARY_LIMITS = Object.freeze({ labels: 50, moderation: 30, segmentsPerItem: 100 });

/** Detections closer than this are one segment (Rekognition samples a few frames per second). */
const MERGE_GAP_MS = 1500;

/**
 * Groups detections by name into section items: the best confidence, and the time segments (seconds) in which the
 * name was seen, touching ones merged; most confident first, capped.
 */
export function itemsOverTime(detections: readonly Detection[], minConfidence: number, maxItems: number): SectionItem[] {
  const byName = new Map<string, { best: number; parents: Set<string>; parentName?: string; spans: Array<[number, number, number]> }>();
  for (const detection of detections) {
    if (detection.confidence < minConfidence) continue;
    const entry = byName.get(detection.name) ?? { best: 0, parents: new Set<string>(), spans: [] };
    entry.best = Math.max(entry.best, detection.confidence);
    for (const parent of detection.parents ?? []) entry.parents.add(parent);
    if (detection.parentName !== undefined) entry.parentName = detection.parentName;
    entry.spans.push([detection.startMs, Math.max(detection.startMs, detection.endMs), detection.confidence]);
    byName.set(detection.name, entry);
  }
  return [...byName.entries()]
    .sort(([nameA, a], [nameB, b]) => b.best - a.best || nameA.localeCompare(nameB))
    .slice(0, maxItems)
    .map(([name, entry]) => {
      const segments = mergeSpans(entry.spans).slice(0, VIDEO_SUMMARY_LIMITS.segmentsPerItem);
      return {
        name,
        confidence: round(entry.best),
        segments,
        attributes: {
          ...(entry.parents.size > 0 ? { parents: [...entry.parents].sort() } : {}),
          ...(entry.parentName !== undefined ? { parentName: entry.parentName } : {}),
          firstSeenSeconds: segments[0]?.start ?? 0,
        },
      };
    });
}

function mergeSpans(spans: Array<[number, number, number]>): Array<{ start: number; end: number; confidence: number }> {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number, number]> = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span[0] - last[1] <= MERGE_GAP_MS) {
      last[1] = Math.max(last[1], span[1]);
      last[2] = Math.max(last[2], span[2]);
    } else merged.push([...span]);
  }
  return merged.map(([start, end, confidence]) => ({ start: round(start / 1000), end: round(end / 1000), confidence: round(confidence) }));
}

const round = (value: number): number => Math.round(value * 100) / 100;

/** The labels section of a video (what search and the timeline read). */
export function labelsSection(
  detections: readonly Detection[],
  minConfidence: number,
  facts: Record<string, number | string | null>,
): AnalysisSection {
  return {
    title: 'Labels over time',
    detector: 'StartLabelDetection',
    items: itemsOverTime(detections, minConfidence, VIDEO_SUMMARY_LIMITS.labels),
    facts,
  };
}

/** The moderation section of a video: each moderation label with the segments it covers. */
export function moderationSection(detections: readonly Detection[], minConfidence: number): AnalysisSection {
  return {
    title: 'Moderation over time',
    detector: 'StartContentModeration',
    items: itemsOverTime(detections, minConfidence, VIDEO_SUMMARY_LIMITS.moderation),
  };
}

export const VIDEO_SECTION_IDS = Object.freeze({ labels: SECTION_IDS.labels, moderation: SECTION_IDS.moderation });
