import type { FailureDescription, ImageRef, LabelResult, RecordFailureInput, StoreSuccessInput, TextResult, VariantRef } from './types';

/** A DynamoDB item as the document client takes it. */
export type Item = Record<string, unknown>;

/** Caps that keep the image item far below DynamoDB's 400 KB (and cheap to read). */
export const LIMITS = Object.freeze({
  labels: 50,
  boxesPerLabel: 10,
  faces: 20,
  moderation: 20,
  textDetections: 50,
  textLength: 200,
  textContent: 2000,
  dominantColors: 10,
});

export const IMAGE_SK = 'IMAGE';
export const LABEL_SK_PREFIX = 'LABEL#';
export const PHASH_SK_PREFIX = 'PHASH#';

/** Returns the partition key shared by an image and all its search items. */
export function imagePk(imageId: string): string {
  return `IMAGE#${imageId}`;
}

/** Returns the GSI1 partition of a label: lower case, so searches need not know Rekognition's casing. */
export function labelIndexPk(name: string): string {
  return `LABEL#${name.toLowerCase()}`;
}

/** Formats a 0-100 confidence as ×1000, 6 digits, so string order is numeric order ("098100" for 98.1). */
export function confidenceKey(confidence: number): string {
  const scaled = Math.min(100_000, Math.max(0, Math.round(confidence * 1000)));
  return String(scaled).padStart(6, '0');
}

/** Splits a 16-hex dHash into its four 16-bit bands (4 hex each), lower case. */
export function perceptualHashBands(hash: string): [string, string, string, string] {
  const h = hash.toLowerCase();
  return [h.slice(0, 4), h.slice(4, 8), h.slice(8, 12), h.slice(12, 16)];
}

/** Returns the execution name that docs/contracts.md "Identity" gives this revision. */
export function executionNameFor(imageId: string, revision: string): string {
  return `img-${imageId}-${revision}`;
}

/** Returns the file name part of an object key, for display. */
export function originalNameOf(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** A label as indexed for search: Rekognition's own labels plus parents that were not returned on their own. */
export interface SearchLabel {
  name: string;
  confidence: number;
  /** True when the label is only a parent of a detected label; it carries its best child's confidence. */
  inherited: boolean;
}

/**
 * Returns the labels to index, most confident first and at most `max`: every detected label, and
 * each parent not detected on its own (so "animal" finds a dog even when only "Dog" came back).
 */
export function searchLabels(labels: readonly LabelResult[], max: number = LIMITS.labels): SearchLabel[] {
  const byName = new Map<string, SearchLabel>();
  for (const label of labels) {
    const known = byName.get(label.name);
    if (known === undefined || known.inherited || known.confidence < label.confidence) {
      byName.set(label.name, { name: label.name, confidence: label.confidence, inherited: false });
    }
  }
  for (const label of labels) {
    for (const parent of label.parents) {
      const known = byName.get(parent);
      if (known === undefined || (known.inherited && known.confidence < label.confidence)) {
        byName.set(parent, { name: parent, confidence: label.confidence, inherited: true });
      }
    }
  }
  return [...byName.values()]
    .sort((a, b) => Number(a.inherited) - Number(b.inherited) || b.confidence - a.confidence || a.name.localeCompare(b.name))
    .slice(0, max)
    .sort((a, b) => b.confidence - a.confidence || a.name.localeCompare(b.name));
}

/** Returns the lower-case text of all detections joined by spaces, capped, for `contains` filters. */
export function textContentOf(text: readonly TextResult[]): string {
  return text
    .map((t) => t.text.trim().toLowerCase())
    .filter((t) => t !== '')
    .join(' ')
    .slice(0, LIMITS.textContent);
}

/** Picks the variant a result list shows: the smallest WebP, else the smallest of any format. */
export function thumbnailKeyOf(variants: readonly VariantRef[]): string | null {
  const smallestFirst = [...variants].sort((a, b) => a.width - b.width);
  return (smallestFirst.find((v) => v.format === 'webp') ?? smallestFirst[0])?.key ?? null;
}

/** When an item was first written and when it is being written now. */
export interface WriteTimes {
  createdAt: string;
  updatedAt: string;
}

function commonImageAttributes(ref: ImageRef, times: WriteTimes): Item {
  return {
    PK: imagePk(ref.imageId),
    SK: IMAGE_SK,
    type: 'IMAGE',
    imageId: ref.imageId,
    revision: ref.revision,
    sourceOrder: ref.source.sourceOrder,
    source: { bucket: ref.source.bucket, key: ref.source.key, versionId: ref.source.versionId },
    originalName: originalNameOf(ref.source.key),
    receivedAt: ref.receivedAt,
    executionName: executionNameFor(ref.imageId, ref.revision),
    createdAt: times.createdAt,
    updatedAt: times.updatedAt,
    GSI1SK: `${times.updatedAt}#${ref.imageId}`,
  };
}

function capLabels(labels: readonly LabelResult[]): LabelResult[] {
  return [...labels]
    .sort((a, b) => b.confidence - a.confidence)
    .slice(0, LIMITS.labels)
    .map((l) => ({ ...l, boxes: l.boxes.slice(0, LIMITS.boxesPerLabel) }));
}

function capImageProperties(properties: Record<string, unknown> | null): Record<string, unknown> | null {
  if (properties === null) return null;
  const colors = properties.dominantColors;
  return Array.isArray(colors) ? { ...properties, dominantColors: colors.slice(0, LIMITS.dominantColors) } : properties;
}

/** Builds the image item for a successful run (status SUCCEEDED, everything the console shows). */
export function successImageItem(input: StoreSuccessInput, times: WriteTimes): Item {
  const { resize, analysis } = input;
  const moderation = analysis?.moderation ?? [];
  return {
    ...commonImageAttributes(input, times),
    GSI1PK: 'STATUS#SUCCEEDED',
    status: 'SUCCEEDED',
    image: resize.image,
    exif: resize.exif,
    placeholder: resize.placeholder,
    perceptualHash: resize.perceptualHash,
    variants: resize.variants,
    thumbnailKey: thumbnailKeyOf(resize.variants),
    analysisImage: resize.analysisImage,
    analysable: resize.analysable,
    analysed: analysis !== null,
    labels: capLabels(analysis?.labels ?? []),
    moderation: moderation.slice(0, LIMITS.moderation),
    moderated: moderation.length > 0,
    faces: (analysis?.faces ?? []).slice(0, LIMITS.faces),
    faceCount: analysis?.faces.length ?? 0,
    text: (analysis?.text ?? []).slice(0, LIMITS.textDetections).map((t) => ({ ...t, text: t.text.slice(0, LIMITS.textLength) })),
    textContent: textContentOf(analysis?.text ?? []),
    imageProperties: capImageProperties(analysis?.imageProperties ?? null),
  };
}

/** Builds the image item for a failed run (status FAILED with the error's name and cause). */
export function failureImageItem(input: RecordFailureInput, times: WriteTimes): Item {
  const error: FailureDescription = { name: input.error.name, cause: input.error.cause };
  return { ...commonImageAttributes(input, times), GSI1PK: 'STATUS#FAILED', status: 'FAILED', error };
}

function searchItemBase(input: StoreSuccessInput, sk: string, updatedAt: string): Item {
  return {
    PK: imagePk(input.imageId),
    SK: sk,
    imageId: input.imageId,
    revision: input.revision,
    sourceOrder: input.source.sourceOrder,
    updatedAt,
  };
}

/** Builds one item per search label: GSI1 `LABEL#<lower name>` sorted by confidence. */
export function labelItems(input: StoreSuccessInput, updatedAt: string): Item[] {
  const thumbnailKey = thumbnailKeyOf(input.resize.variants);
  return searchLabels(input.analysis?.labels ?? []).map((label) => ({
    ...searchItemBase(input, `${LABEL_SK_PREFIX}${label.name}`, updatedAt),
    type: 'LABEL',
    GSI1PK: labelIndexPk(label.name),
    GSI1SK: `${confidenceKey(label.confidence)}#${input.imageId}`,
    label: label.name,
    confidence: label.confidence,
    inherited: label.inherited,
    thumbnailKey,
  }));
}

/** Builds the four perceptual-hash band items (none when the hash is missing). */
export function perceptualHashItems(input: StoreSuccessInput, updatedAt: string): Item[] {
  const hash = input.resize.perceptualHash;
  if (hash === null) return [];
  return perceptualHashBands(hash).map((band, index) => ({
    ...searchItemBase(input, `${PHASH_SK_PREFIX}${index}`, updatedAt),
    type: 'PHASH',
    GSI1PK: `PHASH#${index}#${band}`,
    GSI1SK: input.imageId,
    // The full hash travels with each band so a candidate can be filtered by distance without a GetItem.
    perceptualHash: hash.toLowerCase(),
  }));
}
