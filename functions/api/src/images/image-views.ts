import { isWithheld, storedPipelineVersion, type VariantView } from '@smart-image-pipeline/contracts';
import { displayName, variantFileName, type ImageItem, type VariantItem } from './image-item';
import { analysisOf, faceCountOf, labelsOf } from './image-analysis';
import { ownerOf } from './image-access';
import { matchLabel } from './image-filters';
import { durationOf, firstSecondOf, hlsMasterKeyOf, posterVariant, toVideoView } from './video-view';

export type { VariantView } from '@smart-image-pipeline/contracts';

/** Turns a variant's key into a URL the browser can load (a presigned GET of the processed bucket). */
export type VariantUrl = (variant: VariantItem) => Promise<string>;

/**
 * The one withholding check: nothing of an image is served (no variant, no video rendition, poster or sprite) while it
 * is QUARANTINED or after it was REJECTED, whoever asks (admins see a quarantined image only in the review queue).
 * Every view below signs URLs only through this gate.
 */
function isServed(item: ImageItem): boolean {
  return !isWithheld(item.status);
}

/** The HLS master playlist the API may serve for a video (none while it is withheld, or without a ladder). */
export function servedHlsMasterKey(item: ImageItem): string | undefined {
  return isServed(item) ? hlsMasterKeyOf(item) : undefined;
}

/** The variants the API may serve (none for a withheld image). */
function listedVariants(item: ImageItem): VariantItem[] {
  if (!isServed(item)) return [];
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

/** The smallest WebP (else smallest of any format) variant, or a video's poster: the grid only ever loads this one. */
export function thumbnailVariant(item: ImageItem): VariantItem | undefined {
  const variants = listedVariants(item).sort((a, b) => (a.width ?? 0) - (b.width ?? 0));
  return variants.find((variant) => variant.format === 'webp') ?? variants[0] ?? (isServed(item) ? posterVariant(item) : undefined);
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
    mediaType: item.mediaType === 'video' ? ('video' as const) : ('image' as const),
    /** A video's length (the gallery's duration badge); null for an image. */
    durationSeconds: durationOf(item),
    ...withheldPlaceholder(item),
    thumbnail: thumbnail ? await variantView(thumbnail, urlFor) : null,
    labels: labelsOf(item)
      .slice(0, 5)
      .map((entry) => ({ name: entry.name, confidence: entry.confidence ?? null })),
    // For a video, `seconds` is where the label is first seen, so a search result can open the player there.
    matchedLabel: label ? { ...(matchLabel(item, label) ?? { name: label, confidence: null }), seconds: firstSecondOf(item, label) } : null,
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
    mediaType: item.mediaType === 'video' ? 'video' : 'image',
    // A video's metadata and signed outputs instead of the stored keys (null for an image).
    video: await toVideoView(item, isServed(item), urlFor),
  };
}
