/** The image item as StoreMetadata writes it (docs/contracts.md); every field is optional because FAILED items hold fewer. */
export interface ImageItem {
  PK?: string;
  SK?: string;
  imageId: string;
  status?: 'SUCCEEDED' | 'FAILED' | string;
  revision?: string;
  source?: { bucket?: string; key?: string; versionId?: string | null };
  originalName?: string;
  image?: { format?: string; width?: number; height?: number; bytes?: number; pages?: number; animated?: boolean; hasAlpha?: boolean; space?: string };
  exif?: Record<string, unknown> | null;
  placeholder?: { kind?: string; value?: string } | null;
  perceptualHash?: string | null;
  variants?: VariantItem[];
  labels?: LabelItem[];
  moderation?: Array<{ name?: string; parentName?: string; confidence?: number }>;
  faces?: unknown[];
  faceCount?: number;
  text?: Array<{ text?: string; confidence?: number }>;
  textContent?: string;
  imageProperties?: unknown;
  moderated?: boolean;
  error?: { name?: string; cause?: string } | null;
  createdAt?: string;
  updatedAt?: string;
  executionName?: string;
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

/** One label as kept on the image item. */
export interface LabelItem {
  name: string;
  confidence?: number;
  parents?: string[];
  instances?: number;
  boxes?: Array<{ left: number; top: number; width: number; height: number; confidence?: number }>;
}

const IMAGE_ID = /^[0-9a-f]{32}$/;

/** True when the value has the shape of an imageId (32 lowercase hex). */
export function isImageId(value: string): boolean {
  return IMAGE_ID.test(value);
}

/** Reads the imageId that ends every GSI1 sort key of the image and label items (`…#<imageId>`). */
export function imageIdFromSortKey(sortKey: string): string | undefined {
  const candidate = sortKey.slice(sortKey.lastIndexOf('#') + 1);
  return isImageId(candidate) ? candidate : undefined;
}

/** The file name a variant is served under, e.g. `w256.webp`, taken from the end of its key. */
export function variantFileName(variant: VariantItem): string {
  return variant.key.slice(variant.key.lastIndexOf('/') + 1);
}

/** The name a person uploaded, falling back to the last segment of the source key. */
export function displayName(item: ImageItem): string {
  if (typeof item.originalName === 'string' && item.originalName !== '') return item.originalName;
  const key = item.source?.key ?? '';
  return key.slice(key.lastIndexOf('/') + 1) || item.imageId;
}
