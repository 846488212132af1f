import { displayName, variantFileName, type ImageItem, type VariantItem } from './image-item';
import { analysisOf, faceCountOf, labelsOf } from './image-analysis';
import { matchLabel } from './image-filters';

/** A variant as the API shows it, with the console URL that serves its bytes. */
export interface VariantView {
  file: string;
  format?: string;
  width?: number;
  height?: number;
  bytes?: number;
  url: string;
}

/** The URL under which the console proxies a variant's bytes; the revision in it makes the URL immutable. */
export function variantUrl(item: ImageItem, variant: VariantItem): string {
  const revision = item.revision ? `?revision=${encodeURIComponent(item.revision)}` : '';
  return `/api/images/${item.imageId}/variants/${encodeURIComponent(variantFileName(variant))}${revision}`;
}

function variantViews(item: ImageItem): VariantView[] {
  return (item.variants ?? [])
    .filter((variant) => typeof variant?.key === 'string')
    .map((variant) => ({ file: variantFileName(variant), format: variant.format, width: variant.width, height: variant.height, bytes: variant.bytes, url: variantUrl(item, variant) }));
}

/** The smallest WebP (else smallest of any format) variant: the grid only ever loads this one. */
export function thumbnailOf(item: ImageItem): VariantView | undefined {
  const views = variantViews(item).sort((a, b) => (a.width ?? 0) - (b.width ?? 0));
  return views.find((view) => view.format === 'webp') ?? views[0];
}

/** The compact listing shape: enough for a grid card, nothing heavy. */
export function toImageSummary(item: ImageItem, label?: string) {
  return {
    imageId: item.imageId,
    status: item.status ?? 'UNKNOWN',
    name: displayName(item),
    key: item.source?.key ?? null,
    createdAt: item.createdAt ?? null,
    updatedAt: item.updatedAt ?? null,
    format: item.image?.format ?? null,
    width: item.image?.width ?? null,
    height: item.image?.height ?? null,
    bytes: item.image?.bytes ?? null,
    placeholder: item.placeholder ?? null,
    thumbnail: thumbnailOf(item) ?? null,
    labels: labelsOf(item)
      .slice(0, 5)
      .map((entry) => ({ name: entry.name, confidence: entry.confidence ?? null })),
    matchedLabel: label ? (matchLabel(item, label) ?? { name: label, confidence: null }) : null,
    faceCount: faceCountOf(item),
    moderated: Boolean(item.moderated),
    error: item.error ?? null,
    executionName: item.executionName ?? null,
  };
}

/** The detail page's analysis fields: the sections (an old item's fields read as sections) instead of the stored shape. */
const LEGACY_ANALYSIS_FIELDS = ['labels', 'faces', 'moderation', 'text', 'imageProperties'];

/** Everything the detail page shows; internal key attributes are left out, and the analysis is given as sections. */
export function toImageDetail(item: ImageItem) {
  const { PK: _pk, SK: _sk, GSI1PK: _gpk, GSI1SK: _gsk, ...rest } = item;
  const fields = Object.fromEntries(Object.entries(rest).filter(([field]) => !LEGACY_ANALYSIS_FIELDS.includes(field)));
  return { ...fields, analysis: analysisOf(item), faceCount: faceCountOf(item), name: displayName(item), variants: variantViews(item), thumbnail: thumbnailOf(item) ?? null };
}
