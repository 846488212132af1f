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

// ---- Video containers (issue 14) -------------------------------------------------------------------------------

/** The video containers the pipeline recognises by their bytes; which of them it accepts is VIDEO_CONTAINERS. */
export type SniffedVideoContainer = 'mp4' | 'mov' | 'webm' | 'matroska' | 'avi';

/** What the bytes of a video are: its container and the content type a browser or S3 would use. */
export interface SniffedVideoType {
  container: SniffedVideoContainer;
  contentType: string;
}

/** How many leading bytes identify every video container (a WebM's DocType sits after the EBML header's first fields). */
export const VIDEO_MAGIC_BYTES = 64;

/** ISO-BMFF brands of QuickTime movies; every other video brand is MP4-family (mp41, mp42, isom, avc1, M4V, 3GP, …). */
const QUICKTIME_BRANDS = new Set(['qt  ']);
/** ISO-BMFF brands that name a video file; HEIF brands (images) are excluded before this is consulted. */
const VIDEO_BRANDS = new Set([
  'isom',
  'iso2',
  'iso3',
  'iso4',
  'iso5',
  'iso6',
  'mp41',
  'mp42',
  'mp71',
  'avc1',
  'dash',
  'M4V ',
  'M4VH',
  'M4VP',
  'f4v ',
  'mmp4',
  '3gp4',
  '3gp5',
  '3gp6',
  '3gp7',
  '3g2a',
  '3g2b',
  '3g2c',
  'qt  ',
  'MSNV',
  'NDAS',
  'XAVC',
  'hvc1',
  'cmfc',
  'av01',
]);
/** Top-level QuickTime atoms an old .mov may start with when it has no `ftyp`. */
const QUICKTIME_FIRST_ATOMS = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);

/**
 * Names the video container from the leading bytes only (ISO-BMFF `ftyp` brands, QuickTime's first atom, the EBML
 * DocType, the RIFF form type); never from a name or Content-Type. Returns null for anything else, images included.
 */
export function sniffVideoType(bytes: Uint8Array): SniffedVideoType | null {
  if (bytes.length >= 12 && ascii(bytes, 4, 8) === 'ftyp') {
    const brands = heifBrands(bytes);
    // HEIF/AVIF still images share the box format; any HEIF brand makes the file an image.
    if (brands.some((brand) => HEIF_BRANDS.has(brand))) return null;
    if (QUICKTIME_BRANDS.has(brands[0])) return { container: 'mov', contentType: 'video/quicktime' };
    if (brands.some((brand) => VIDEO_BRANDS.has(brand))) return { container: 'mp4', contentType: 'video/mp4' };
    return null;
  }
  if (bytes.length >= 8 && QUICKTIME_FIRST_ATOMS.has(ascii(bytes, 4, 8))) return { container: 'mov', contentType: 'video/quicktime' };
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) {
    const docType = ebmlDocType(bytes);
    if (docType === 'webm') return { container: 'webm', contentType: 'video/webm' };
    if (docType === 'matroska') return { container: 'matroska', contentType: 'video/x-matroska' };
    return null;
  }
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'AVI ') return { container: 'avi', contentType: 'video/x-msvideo' };
  return null;
}

/** Whether the bytes are an image or a video the pipeline recognises, and which; null for anything else. */
export function sniffMediaType(bytes: Uint8Array): ({ kind: 'image' } & SniffedType) | ({ kind: 'video' } & SniffedVideoType) | null {
  const video = sniffVideoType(bytes);
  if (video) return { kind: 'video', ...video };
  const image = sniffImageType(bytes);
  return image ? { kind: 'image', ...image } : null;
}

/** Reads the DocType string (element 0x4282) of the EBML header at the start of the bytes. */
function ebmlDocType(bytes: Uint8Array): string | null {
  const header = readEbmlSize(bytes, 4);
  if (!header) return null;
  const end = Math.min(bytes.length, header.next + header.size);
  for (let offset = header.next; offset + 3 <= end;) {
    const idLength = bytes[offset] >= 0x80 ? 1 : bytes[offset] >= 0x40 ? 2 : bytes[offset] >= 0x20 ? 3 : 4;
    const id = [...bytes.subarray(offset, offset + idLength)].reduce((value, byte) => value * 256 + byte, 0);
    const size = readEbmlSize(bytes, offset + idLength);
    if (!size) return null;
    if (id === 0x4282) return ascii(bytes, size.next, Math.min(end, size.next + size.size)).replace(/\0+$/, '');
    offset = size.next + size.size;
  }
  return null;
}

/** An EBML variable-length size at `offset`: its value and where the data after it starts. */
function readEbmlSize(bytes: Uint8Array, offset: number): { size: number; next: number } | null {
  const first = bytes[offset];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (offset + length > bytes.length) return null;
  let value = first & (0xff >> length);
  for (let i = 1; i < length; i += 1) value = value * 256 + bytes[offset + i];
  return { size: value, next: offset + length };
}
