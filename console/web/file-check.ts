/** Image types the page recognises from the first bytes of a file, with the name shown to people. */
export const SNIFFED_TYPES: Readonly<Record<string, string>> = Object.freeze({
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
  'image/avif': 'AVIF',
  'image/heic': 'HEIC',
  'image/tiff': 'TIFF',
});

/** How many leading bytes sniffImageType needs. */
export const SNIFF_BYTES = 32;

function startsWith(bytes: Uint8Array, signature: number[], offset = 0): boolean {
  return signature.every((value, index) => bytes[offset + index] === value);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

/** The image content type by magic bytes, never by name; undefined when the bytes are no supported image. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'image/webp';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (ascii(bytes, 4, 8) === 'ftyp') {
    const brands = ascii(bytes, 8, Math.min(bytes.length, 32));
    if (/avi[fs]/.test(brands)) return 'image/avif';
    if (/hei[cx]|hevc|mif1|msf1/.test(brands)) return 'image/heic';
  }
  return undefined;
}

/** Why a file can't be uploaded, or undefined when it may be: checks size, then the real type from its bytes. */
export function refusalReason(size: number, head: Uint8Array, maxBytes: number, acceptedTypes: readonly string[]): string | undefined {
  if (size === 0) return 'The file is empty.';
  if (size > maxBytes) return `The file is ${formatBytes(size)}; the limit is ${formatBytes(maxBytes)}.`;
  const type = sniffImageType(head);
  const names = acceptedTypes.map((entry) => SNIFFED_TYPES[entry]).filter(Boolean).join(', ');
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
