/**
 * Magic-byte type sniffing: the one implementation that ResizeImage (which must never trust a name or a
 * Content-Type) and the console's upload page (which refuses a file before uploading it) share.
 * Browser-safe: plain Uint8Array, no Node APIs.
 */

/** The image families the pipeline recognises by their bytes. `heif` covers AVIF and HEIC alike. */
export type SniffedFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' | 'heif' | 'svg';

/** What the bytes are: the family and the content type a browser or S3 would use for them. */
export interface SniffedType {
  format: SniffedFormat;
  contentType: string;
}

/** The name shown to people for each content type sniffImageType can return. */
export const IMAGE_TYPE_NAMES: Readonly<Record<string, string>> = Object.freeze({
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
  'image/avif': 'AVIF',
  'image/heic': 'HEIC',
  'image/tiff': 'TIFF',
  'image/svg+xml': 'SVG',
});

/** How many leading bytes identify every format except SVG (whose first element may come after a long prologue). */
export const MAGIC_BYTES = 32;

/** ISO-BMFF brands whose files libheif may open; the codec is checked later from the decoder's metadata. */
const HEIF_BRANDS = new Set(['avif', 'avis', 'heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0): boolean =>
  bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);

const ascii = (bytes: Uint8Array, start: number, end: number): string => String.fromCharCode(...bytes.subarray(start, end));

/**
 * Names the image type from the leading bytes (magic numbers) only; never from a name or Content-Type.
 * Returns null for anything that is not one of the recognised families.
 */
export function sniffImageType(bytes: Uint8Array): SniffedType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { format: 'jpeg', contentType: 'image/jpeg' };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { format: 'png', contentType: 'image/png' };
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return { format: 'gif', contentType: 'image/gif' };
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return { format: 'webp', contentType: 'image/webp' };
  // Classic TIFF and BigTIFF, both byte orders.
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return { format: 'tiff', contentType: 'image/tiff' };
  if (startsWith(bytes, [0x49, 0x49, 0x2b, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2b]))
    return { format: 'tiff', contentType: 'image/tiff' };
  const brands = heifBrands(bytes);
  if (brands.some((brand) => HEIF_BRANDS.has(brand))) {
    return { format: 'heif', contentType: brands.some((brand) => AVIF_BRANDS.has(brand)) ? 'image/avif' : 'image/heic' };
  }
  if (isSvg(bytes)) return { format: 'svg', contentType: 'image/svg+xml' };
  return null;
}

/** The major and compatible brands of an ISO-BMFF `ftyp` box at the start of the bytes (none when there is no such box). */
function heifBrands(bytes: Uint8Array): string[] {
  if (bytes.length < 16 || ascii(bytes, 4, 8) !== 'ftyp') return [];
  const boxSize = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  const end = Math.min(bytes.length, boxSize >= 16 ? boxSize : 16);
  const brands = [ascii(bytes, 8, 12)];
  for (let offset = 16; offset + 4 <= end; offset += 4) brands.push(ascii(bytes, offset, offset + 4));
  return brands;
}

/**
 * An SVG is text whose first element is <svg>, after an optional BOM, XML declaration, comments and
 * DOCTYPE. HTML, plain text and other XML are not SVG.
 */
function isSvg(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 4096);
  if (head.includes(0)) return false;
  let text = new TextDecoder('utf-8').decode(head).replace(/^\uFEFF/, '');
  for (;;) {
    text = text.trimStart();
    if (text.startsWith('<?')) {
      const end = text.indexOf('?>');
      if (end < 0) return false;
      text = text.slice(end + 2);
    } else if (text.startsWith('<!--')) {
      const end = text.indexOf('-->');
      if (end < 0) return false;
      text = text.slice(end + 3);
    } else if (/^<!DOCTYPE/i.test(text)) {
      // A DOCTYPE may carry an internal subset in [...]; ResizeImage's SVG guard refuses DOCTYPEs anyway.
      return /^<!DOCTYPE\s+svg[\s>[]/i.test(text);
    } else {
      return /^<(?:[A-Za-z_][\w.-]*:)?svg[\s>/]/.test(text);
    }
  }
}
