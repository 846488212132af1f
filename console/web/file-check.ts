import { IMAGE_TYPE_NAMES, MAGIC_BYTES, sniffImageType as sniff } from '@smart-image-pipeline/contracts/browser';

/** The name shown to people for each content type the page recognises. */
export const SNIFFED_TYPES = IMAGE_TYPE_NAMES;

/** How many leading bytes sniffImageType needs. */
export const SNIFF_BYTES = MAGIC_BYTES;

/**
 * The image content type by magic bytes (the pipeline's own sniffer, the one ResizeImage uses), never by name;
 * undefined when the bytes are no raster image. SVG counts as none here: the page uploads raster images only.
 */
export function sniffImageType(bytes: Uint8Array): string | undefined {
  const sniffed = sniff(bytes);
  return sniffed && sniffed.format !== 'svg' ? sniffed.contentType : undefined;
}

/** Why a file can't be uploaded, or undefined when it may be: checks size, then the real type from its bytes. */
export function refusalReason(size: number, head: Uint8Array, maxBytes: number, acceptedTypes: readonly string[]): string | undefined {
  if (size === 0) return 'The file is empty.';
  if (size > maxBytes) return `The file is ${formatBytes(size)}; the limit is ${formatBytes(maxBytes)}.`;
  const type = sniffImageType(head);
  const names = acceptedTypes
    .map((entry) => SNIFFED_TYPES[entry])
    .filter(Boolean)
    .join(', ');
  if (!type) return `Its content is not a supported image (${names}).`;
  if (!acceptedTypes.includes(type)) return `${SNIFFED_TYPES[type]} images are not accepted here (${names}).`;
  return undefined;
}

/** Bytes as a short human size ("1.5 MB"). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}
