import { uploadFileName, type ImageFactsView } from '@smart-image-pipeline/contracts';

/**
 * The image item as StoreMetadata writes it (docs/contracts.md); every field is optional because FAILED items hold
 * fewer. Items written before the analysis became sections also carry labels, faces, moderation, text and
 * imageProperties (read by image-analysis.ts).
 */
export interface ImageItem {
  PK?: string;
  SK?: string;
  imageId: string;
  /** The uploader's Cognito sub, or `unowned`; items written before owners existed have none (see image-access.ts). */
  owner?: string;
  status?: 'SUCCEEDED' | 'FAILED' | string;
  revision?: string;
  source?: { bucket?: string; key?: string; versionId?: string | null };
  originalName?: string;
  image?: ImageFactsView;
  exif?: Record<string, unknown> | null;
  placeholder?: { kind?: string; value?: string } | null;
  perceptualHash?: string | null;
  variants?: VariantItem[];
  /** The analysis summary, every detector's sections (null when the image was not analysed). */
  analysis?: unknown;
  faceCount?: number;
  textContent?: string;
  moderated?: boolean;
  error?: { name?: string; cause?: string } | null;
  createdAt?: string;
  updatedAt?: string;
  executionName?: string;
  /** `video` for a video upload (its `video` attribute holds the facts and outputs; see video-view.ts); absent for images. */
  mediaType?: 'video' | string;
  /** The pipeline version that made the stored result (absent on items from before versions: v1). */
  pipelineVersion?: string;
  [other: string]: unknown;
}

/** One stored variant of an image. */
export interface VariantItem {
  key: string;
  format?: string;
  width?: number;
  height?: number;
  bytes?: number;
}

/** The file name a variant is served under, e.g. `w256.webp`, taken from the end of its key. */
export function variantFileName(variant: VariantItem): string {
  return variant.key.slice(variant.key.lastIndexOf('/') + 1);
}

/** The name a person uploaded, falling back to the last segment of the source key. */
export function displayName(item: ImageItem): string {
  if (typeof item.originalName === 'string' && item.originalName !== '') return item.originalName;
  return uploadFileName(item.source?.key ?? '') || item.imageId;
}
