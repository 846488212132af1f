import { storedPipelineVersion } from '@smart-image-pipeline/contracts';
import { faceCountOf, labelsOf, textContentOf } from './image-analysis';
import type { ImageItem } from './image-item';
import type { ImageListQuery } from './image-query';

/** The best match for a label name among an item's labels (or labels that have it as a parent), case-insensitive. */
export function matchLabel(item: ImageItem, label: string): { name: string; confidence: number } | undefined {
  const wanted = label.toLowerCase();
  let best: { name: string; confidence: number } | undefined;
  for (const entry of labelsOf(item)) {
    const names = [entry.name, ...entry.parents];
    const name = names.find((candidate) => candidate.toLowerCase() === wanted);
    if (name === undefined) continue;
    const confidence = typeof entry.confidence === 'number' ? entry.confidence : 0;
    if (!best || confidence > best.confidence) best = { name, confidence };
  }
  return best;
}

/** The confidence of the named label (or a label that has it as a parent), case-insensitive; undefined when absent. */
export function labelConfidence(item: ImageItem, label: string): number | undefined {
  return matchLabel(item, label)?.confidence;
}

/** True when the image item passes every filter of the query; the index already narrowed status or label where it could. */
export function matchesImageQuery(item: ImageItem, query: ImageListQuery): boolean {
  if (query.status !== 'ALL' && item.status !== query.status) return false;
  if (query.version !== undefined && storedPipelineVersion(item) !== query.version) return false;
  if (query.mediaType !== undefined && (item.mediaType === 'video' ? 'video' : 'image') !== query.mediaType) return false;
  if (query.label !== undefined) {
    const confidence = labelConfidence(item, query.label);
    if (confidence === undefined) return false;
    if (query.minConfidence !== undefined && confidence < query.minConfidence) return false;
  }
  if (query.hasFaces !== undefined) {
    if (faceCountOf(item) > 0 !== query.hasFaces) return false;
  }
  if (query.moderated !== undefined && Boolean(item.moderated) !== query.moderated) return false;
  if (query.text !== undefined) {
    if (!textContentOf(item).toLowerCase().includes(query.text.toLowerCase())) return false;
  }
  const updatedAt = item.updatedAt ?? '';
  if (query.from !== undefined && updatedAt < query.from) return false;
  if (query.to !== undefined && updatedAt > query.to) return false;
  return true;
}
