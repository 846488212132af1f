import { isWithheld, storedPipelineVersion } from '@smart-image-pipeline/contracts';
import { displayName, variantFileName, type ImageItem, type VariantItem } from './image-item';
import { analysisOf, faceCountOf, labelsOf } from './image-analysis';
import { ownerOf } from './image-access';
import { matchLabel } from './image-filters';

/** A variant as the API shows it, with a short-lived URL that serves its bytes. */
export interface VariantView {
  file: string;
  format?: string;
  width?: number;
  height?: number;
  bytes?: number;
  url: string;
}

/** Turns a variant's key into a URL the browser can load (a presigned GET of the processed bucket). */
export type VariantUrl = (variant: VariantItem) => Promise<string>;

/**
 * The variants the API may serve: none while an image is QUARANTINED or after it was REJECTED, whoever asks (admins
 * see a quarantined image only in the review queue). Every view below lists variants through this one gate.
 */
function listedVariants(item: ImageItem): VariantItem[] {
  if (isWithheld(item.status)) return [];
  return (item.variants ?? []).filter((variant) => typeof variant?.key === 'string');
}

/** What the console shows instead of a withheld image: the reason, never a URL or a preview of its content. */
function withheldPlaceholder(item: ImageItem): { withheld: boolean; placeholder: ImageItem['placeholder'] } {
  return isWithheld(item.status) ? { withheld: true, placeholder: null } : { withheld: false, placeholder: item.placeholder ?? null };
}

async function variantView(variant: VariantItem, urlFor: VariantUrl): Promise<VariantView> {
  return {
    file: variantFileName(variant),
    format: variant.format,
    width: variant.width,
    height: variant.height,
    bytes: variant.bytes,
    url: await urlFor(variant),
  };
}

/** The smallest WebP (else smallest of any format) variant: the grid only ever loads this one. */
export function thumbnailVariant(item: ImageItem): VariantItem | undefined {
  const variants = listedVariants(item).sort((a, b) => (a.width ?? 0) - (b.width ?? 0));
  return variants.find((variant) => variant.format === 'webp') ?? variants[0];
}

/** The compact listing shape: enough for a grid card, nothing heavy; only the thumbnail gets a URL. */
export async function toImageSummary(item: ImageItem, urlFor: VariantUrl, label?: string) {
  const thumbnail = thumbnailVariant(item);
  return {
    imageId: item.imageId,
    owner: ownerOf(item),
    status: item.status ?? 'UNKNOWN',
    name: displayName(item),
    key: item.source?.key ?? null,
    createdAt: item.createdAt ?? null,
    updatedAt: item.updatedAt ?? null,
    format: item.image?.format ?? null,
    width: item.image?.width ?? null,
    height: item.image?.height ?? null,
    bytes: item.image?.bytes ?? null,
    ...withheldPlaceholder(item),
    thumbnail: thumbnail ? await variantView(thumbnail, urlFor) : null,
    labels: labelsOf(item)
      .slice(0, 5)
      .map((entry) => ({ name: entry.name, confidence: entry.confidence ?? null })),
    matchedLabel: label ? (matchLabel(item, label) ?? { name: label, confidence: null }) : null,
    faceCount: faceCountOf(item),
    moderated: Boolean(item.moderated),
    error: item.error ?? null,
    executionName: item.executionName ?? null,
    pipelineVersion: storedPipelineVersion(item),
  };
}

/** One listing card, as toImageSummary builds it. */
export type ImageSummary = Awaited<ReturnType<typeof toImageSummary>>;

/** The detail page's analysis fields: the sections (an old item's fields read as sections) instead of the stored shape. */
const LEGACY_ANALYSIS_FIELDS = ['labels', 'faces', 'moderation', 'text', 'imageProperties'];
/** Key and index attributes, and the internal pointers, are the table's business, not the page's. */
const INTERNAL_FIELDS = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'thumbnailKey', 'analysisImage', 'sourceOrder', 'type'];

/** Everything the detail page shows, every variant with its own short-lived URL; the analysis is given as sections. */
export async function toImageDetail(item: ImageItem, urlFor: VariantUrl) {
  const fields = Object.fromEntries(
    Object.entries(item).filter(([field]) => !LEGACY_ANALYSIS_FIELDS.includes(field) && !INTERNAL_FIELDS.includes(field)),
  );
  const variants = await Promise.all(listedVariants(item).map((variant) => variantView(variant, urlFor)));
  const thumbnail = thumbnailVariant(item);
  return {
    ...fields,
    ...withheldPlaceholder(item),
    owner: ownerOf(item),
    pipelineVersion: storedPipelineVersion(item),
    analysis: analysisOf(item),
    faceCount: faceCountOf(item),
    name: displayName(item),
    variants,
    thumbnail: thumbnail ? (variants.find((view) => view.file === variantFileName(thumbnail)) ?? null) : null,
  };
}
