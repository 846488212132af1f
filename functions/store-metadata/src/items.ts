import {
  executionNameFor,
  IMAGE_SK,
  imagePk,
  labelIndexPk,
  labelIndexSk,
  labelSk,
  ownerLabelIndexPk,
  ownerPhashIndexPk,
  ownerStatusIndexPk,
  perceptualHashBands,
  phashIndexPk,
  phashSk,
  SECTION_IDS,
  sectionItems,
  statusIndexPk,
  statusIndexSk,
  stringListAttribute,
  type AnalysisSummary,
  UNRESOLVED_PIPELINE_VERSION,
  uploadFileName,
} from '@smart-image-pipeline/contracts';
import { storedAnalysis } from './analysis-record';
import type { FailureDescription, ImageRef, RecordFailureInput, StoredResize, StoreSuccessInput } from './types';

/** A detected label as search reads it: its name, confidence and the parents Rekognition gave it. */
export interface LabelResult {
  name: string;
  confidence: number;
  parents: string[];
}

/** The labels section of a summary, as search reads it (the contract guarantees each has a confidence). */
export function labelsOf(analysis: AnalysisSummary | null): LabelResult[] {
  return sectionItems(analysis, SECTION_IDS.labels).map((item) => ({
    name: item.name,
    confidence: item.confidence ?? 0,
    parents: stringListAttribute(item, 'parents'),
  }));
}

/** A DynamoDB item as the document client takes it. */
export type Item = Record<string, unknown>;

/** Caps of the search attributes derived from the analysis. */
export const LIMITS = Object.freeze({
  labels: 50,
  textContent: 2000,
});

/** Returns the file name part of an object key, for display (without the upload id of a browser upload). */
export function originalNameOf(key: string): string {
  return uploadFileName(key);
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

/** Returns the lower-case text of all detected lines joined by spaces, capped, for `contains` filters. */
export function textContentOf(lines: readonly string[]): string {
  return lines
    .map((line) => line.trim().toLowerCase())
    .filter((t) => t !== '')
    .join(' ')
    .slice(0, LIMITS.textContent);
}

/** Picks the variant a result list shows: the smallest WebP, else the smallest of any format. */
export function thumbnailKeyOf(variants: StoredResize['variants']): string | null {
  const smallestFirst = [...variants].sort((a, b) => a.width - b.width);
  return (smallestFirst.find((v) => v.format === 'webp') ?? smallestFirst[0])?.key ?? null;
}

/** The search flags derived from the known sections: on the image item, and copied onto its label items. */
export function searchFlagsOf(analysis: AnalysisSummary | null): { moderated: boolean; faceCount: number } {
  return {
    moderated: sectionItems(analysis, SECTION_IDS.moderation).length > 0,
    faceCount: sectionItems(analysis, SECTION_IDS.faces).length,
  };
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
    owner: ref.owner,
    revision: ref.revision,
    sourceOrder: ref.source.sourceOrder,
    source: { bucket: ref.source.bucket, key: ref.source.key, versionId: ref.source.versionId },
    originalName: originalNameOf(ref.source.key),
    receivedAt: ref.receivedAt,
    executionName: executionNameFor(ref.imageId, ref.revision),
    ...(ref.resolvedVersion?.name ? { pipelineVersion: ref.resolvedVersion.name } : {}),
    createdAt: times.createdAt,
    updatedAt: times.updatedAt,
    GSI1SK: statusIndexSk(times.updatedAt, ref.imageId),
  };
}

/** The status a successful run stores: QUARANTINED when AnalyseImage asked for a moderation review, else SUCCEEDED. */
export function storedStatusOf(input: StoreSuccessInput): 'SUCCEEDED' | 'QUARANTINED' {
  return input.analysis?.quarantine ? 'QUARANTINED' : 'SUCCEEDED';
}

/** Builds the image item for a successful run (status SUCCEEDED or QUARANTINED, everything the console shows). */
export function successImageItem(input: StoreSuccessInput, times: WriteTimes): Item {
  const { resize, analysis } = input;
  const status = storedStatusOf(input);
  return {
    ...commonImageAttributes(input, times),
    GSI1PK: statusIndexPk(status),
    GSI2PK: ownerStatusIndexPk(input.owner, status),
    status,
    ...(analysis?.quarantine ? { quarantine: analysis.quarantine } : {}),
    image: resize.image,
    exif: resize.exif,
    placeholder: resize.placeholder,
    perceptualHash: resize.perceptualHash,
    variants: resize.variants,
    thumbnailKey: thumbnailKeyOf(resize.variants),
    analysisImage: resize.analysisImage,
    analysable: resize.analysable,
    imageProperties: resize.imageProperties,
    analysed: analysis !== null,
    // Every detector's sections, capped alike; the search attributes below are derived from the known ones.
    analysis: analysis === null ? null : storedAnalysis(analysis),
    ...searchFlagsOf(analysis),
    textContent: textContentOf(sectionItems(analysis, SECTION_IDS.text).map((line) => line.name)),
    ...videoAttributes(input),
  };
}

/** A video's item attributes (issue 14): its facts, outputs and what the analysis covered; none for an image. */
function videoAttributes({ video, videoOutputs }: StoreSuccessInput): Item {
  if (video === null) return {};
  return {
    mediaType: 'video',
    video: { ...video.facts, outputs: videoOutputs, analysis: video.plan.analysis },
    thumbnailKey: videoOutputs?.poster?.key ?? null,
  };
}

/** Label items of a video also say when the label is seen (its first segments), so "second 12" is one Query away. */
function videoLabelAttributes(input: StoreSuccessInput, name: string): Item {
  if (input.video === null) return {};
  const item = sectionItems(input.analysis, SECTION_IDS.labels).find((label) => label.name === name);
  return { mediaType: 'video', segments: (item?.segments ?? []).slice(0, VIDEO_LABEL_SEGMENTS).map(({ start, end }) => ({ start, end })) };
}

/** Segments kept on a label item (the image item's summary keeps up to 100 per label). */
const VIDEO_LABEL_SEGMENTS = 50;

/**
 * Builds the image item for a failed run (status FAILED with the error's name and cause). A run that failed before a
 * version was resolved records the version it asked for, else `unresolved` (never read as v1).
 */
export function failureImageItem(input: RecordFailureInput, times: WriteTimes): Item {
  const error: FailureDescription = { name: input.error.name, cause: input.error.cause };
  return {
    ...commonImageAttributes(input, times),
    pipelineVersion: input.resolvedVersion?.name ?? UNRESOLVED_PIPELINE_VERSION,
    GSI1PK: statusIndexPk('FAILED'),
    GSI2PK: ownerStatusIndexPk(input.owner, 'FAILED'),
    status: 'FAILED',
    error,
  };
}

function searchItemBase(input: StoreSuccessInput, sk: string, updatedAt: string): Item {
  return {
    PK: imagePk(input.imageId),
    SK: sk,
    imageId: input.imageId,
    owner: input.owner,
    revision: input.revision,
    sourceOrder: input.source.sourceOrder,
    updatedAt,
  };
}

/**
 * Builds one item per search label: GSI1 `LABEL#<lower name>` and GSI2 `OWNER#<owner>#LABEL#<lower name>`, sorted by
 * confidence. Each carries the image's face count and moderation flag (a few bytes), so a label search filters on
 * them inside DynamoDB and reads only the matching images.
 */
export function labelItems(input: StoreSuccessInput, updatedAt: string): Item[] {
  const thumbnailKey = input.videoOutputs?.poster?.key ?? thumbnailKeyOf(input.resize.variants);
  const flags = searchFlagsOf(input.analysis);
  return searchLabels(labelsOf(input.analysis)).map((label) => ({
    ...searchItemBase(input, labelSk(label.name), updatedAt),
    type: 'LABEL',
    GSI1PK: labelIndexPk(label.name),
    GSI2PK: ownerLabelIndexPk(input.owner, label.name),
    GSI1SK: labelIndexSk(label.confidence, input.imageId),
    ...flags,
    label: label.name,
    confidence: label.confidence,
    inherited: label.inherited,
    thumbnailKey,
    ...videoLabelAttributes(input, label.name),
  }));
}

/** Builds the four perceptual-hash band items (none when the hash is missing). */
export function perceptualHashItems(input: StoreSuccessInput, updatedAt: string): Item[] {
  const hash = input.resize.perceptualHash;
  if (hash === null) return [];
  return perceptualHashBands(hash).map((band, index) => ({
    ...searchItemBase(input, phashSk(index), updatedAt),
    type: 'PHASH',
    GSI1PK: phashIndexPk(index, band),
    GSI2PK: ownerPhashIndexPk(input.owner, index, band),
    GSI1SK: input.imageId,
    // The full hash travels with each band so a candidate can be filtered by distance without a GetItem.
    perceptualHash: hash.toLowerCase(),
  }));
}
