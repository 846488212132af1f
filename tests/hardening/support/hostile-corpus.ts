import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { animatedGif, jpeg48Megapixels, jpegClaimingSize, jpegWithGps, pngBomb } from './image-builders';

export const FIXTURES_DIR = join(__dirname, '../../fixtures/images');

/** Reads one of the committed fixture images (tests/fixtures/images/README.md says what each is for). */
export const fixture = (name: string): Buffer => readFileSync(join(FIXTURES_DIR, name));

/** What a hostile or odd file must end in: a success, or a failure under one of the named errors. */
export type Expectation = { outcome: 'succeeds' } | { outcome: 'fails'; errors: string[] };

/** One file of the corpus: the name it is uploaded under, how to build its bytes, and the outcome it must have. */
export interface CorpusFile {
  name: string;
  what: string;
  build(): Promise<Buffer>;
  expect: Expectation;
  /** Slow to build or to process (the bomb, 48 MP); integration runs may leave these to the soak run. */
  heavy?: boolean;
}

const succeeds: Expectation = { outcome: 'succeeds' };
const fails = (...errors: string[]): Expectation => ({ outcome: 'fails', errors });

/** An SVG that pulls /etc/passwd through an external entity. */
export const SVG_WITH_FILE_ENTITY =
  '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
  '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><text x="0" y="20">&xxe;</text></svg>';

/** An SVG that references an image at `origin` (a local listener that counts hits). */
export const svgWithNetworkImage = (origin: string): string =>
  '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="100">' +
  `<image href="${origin}/pixel.png" width="50" height="50"/><image xlink:href="${origin}/xlink.png" width="50" height="50"/>` +
  `<rect width="10" height="10" style="fill: url(${origin}/paint.svg#p)"/></svg>`;

const MP4_HEADER = Buffer.concat([
  Buffer.from([0, 0, 0, 0x20]),
  Buffer.from('ftypisom\0\0\x02\0isomiso2avc1mp41', 'latin1'),
  Buffer.alloc(8),
  Buffer.from('\0\0\0\x08free', 'latin1'),
]);
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);
const HTML = '<!DOCTYPE html><html><head><title>x</title></head><body><script>alert(document.cookie)</script></body></html>\n';

/**
 * Every hostile and odd upload of issue 7, generated in memory (no committed binaries). `networkOrigin` is the
 * address of a listener that must never be contacted.
 */
export function hostileCorpus(networkOrigin: string): CorpusFile[] {
  return [
    { name: 'empty.jpg', what: 'zero bytes', build: async () => Buffer.alloc(0), expect: fails('CorruptImageError') },
    {
      name: 'random.jpg',
      what: 'random bytes named .jpg',
      build: async () => randomBytes(64 * 1024),
      expect: fails('UnsupportedImageTypeError'),
    },
    {
      name: 'readme.png',
      what: 'text named .png',
      build: async () => Buffer.from('This is a text file, not a picture.\n'.repeat(40)),
      expect: fails('UnsupportedImageTypeError'),
    },
    { name: 'page.png', what: 'HTML named .png', build: async () => Buffer.from(HTML), expect: fails('UnsupportedImageTypeError') },
    { name: 'invoice.pdf', what: 'a PDF', build: async () => PDF, expect: fails('UnsupportedImageTypeError') },
    {
      name: 'clip.mp4',
      // The pipeline routes it to the video branch by its bytes, and ProbeVideo refuses it from the header; the resize
      // core alone (the resize hardening test) refuses it as no image.
      what: 'an MP4 header followed by noise',
      build: async () => Buffer.concat([MP4_HEADER, randomBytes(4096)]),
      expect: fails('CorruptVideoError', 'UnsupportedImageTypeError'),
    },
    {
      name: 'cut-at-40-percent.jpg',
      what: 'a JPEG cut at 40%',
      build: async () => {
        const photo = fixture('flowers.jpeg');
        return photo.subarray(0, Math.floor(photo.length * 0.4));
      },
      expect: fails('CorruptImageError'),
    },
    {
      name: 'smashed-header.jpg',
      what: 'a JPEG whose header segments are overwritten',
      build: async () => {
        const photo = Buffer.from(fixture('flowers.jpeg'));
        photo.fill(0x5a, 4, 600); // keep SOI and the first marker, destroy the tables and the frame header
        return photo;
      },
      expect: fails('CorruptImageError'),
    },
    {
      name: 'bomb-30000x30000.png',
      what: 'a 30000x30000 PNG of zeros (decompression bomb)',
      build: () => pngBomb(30_000, 30_000),
      expect: fails('ImageTooLargeError'),
      heavy: true,
    },
    {
      name: 'claims-65500x65500.jpg',
      what: 'a JPEG whose header claims 65500x65500',
      build: () => jpegClaimingSize(65_500, 65_500),
      expect: fails('ImageTooLargeError'),
    },
    { name: 'frames-5000.gif', what: 'an animated GIF with 5000 frames', build: () => animatedGif(5000), expect: succeeds },
    {
      name: 'entity.svg',
      what: 'an SVG with an external entity (file:///etc/passwd)',
      build: async () => Buffer.from(SVG_WITH_FILE_ENTITY),
      expect: fails('UnsupportedImageTypeError'),
    },
    {
      name: 'network.svg',
      what: 'an SVG that references a network URL',
      build: async () => Buffer.from(svgWithNetworkImage(networkOrigin)),
      expect: fails('UnsupportedImageTypeError'),
    },
    {
      name: 'html-tail.jpg',
      what: 'a valid JPEG with an HTML tail',
      build: async () => Buffer.concat([fixture('ai-face.jpg'), Buffer.from(HTML)]),
      expect: succeeds,
    },
    {
      name: 'cmyk.jpg',
      what: 'CMYK JPEG',
      build: async () => fixture('Channel_digital_image_CMYK_color_no_profile.jpg'),
      expect: succeeds,
    },
    { name: '16-bit-grey-alpha.png', what: '16-bit grey+alpha PNG', build: async () => fixture('16-bit-grey-alpha.png'), expect: succeeds },
    {
      name: 'grey-alpha-8bit.png',
      what: '8-bit grey+alpha PNG',
      build: () => sharp(fixture('ai-face.jpg')).greyscale().ensureAlpha(0.6).png().toColourspace('b-w').toBuffer(),
      expect: succeeds,
    },
    { name: 'photo.avif', what: 'AVIF', build: async () => fixture('pitm.avif'), expect: succeeds },
    { name: 'photo.webp', what: 'WebP', build: async () => fixture('4.webp'), expect: succeeds },
    { name: 'scan.tif', what: 'multi-page TIFF', build: async () => fixture('G31D_MULTI.TIF'), expect: succeeds },
    { name: 'loop.gif', what: 'animated GIF', build: async () => fixture('animated-loop-3.gif'), expect: succeeds },
    {
      name: 'one-pixel.png',
      what: '1x1 PNG',
      build: () =>
        sharp({ create: { width: 1, height: 1, channels: 3, background: '#ff0000' } })
          .png()
          .toBuffer(),
      expect: succeeds,
    },
    {
      name: 'strip-20000x16.png',
      what: '20000x16 PNG',
      build: () =>
        sharp({ create: { width: 20_000, height: 16, channels: 3, background: '#2050a0' } })
          .png()
          .toBuffer(),
      expect: succeeds,
    },
    {
      name: 'camera-48mp.jpg',
      what: '48 MP JPEG (8000x6000)',
      build: () => jpeg48Megapixels(fixture('flowers.jpeg')),
      expect: succeeds,
      heavy: true,
    },
    { name: 'rotated-6.jpg', what: 'EXIF orientation 6', build: async () => fixture('Portrait_6.jpg'), expect: succeeds },
    { name: 'rotated-5.jpg', what: 'EXIF orientation 5', build: async () => fixture('Landscape_5.jpg'), expect: succeeds },
    { name: 'gps.jpg', what: 'JPEG with a GPS position', build: () => jpegWithGps(), expect: succeeds },
  ];
}

/** Upload keys S3 allows that break naive code: spaces, +, %, unicode, ../ and the 1,024-byte maximum. */
export function oddKeys(prefix: string): string[] {
  const base = `${prefix}odd`;
  const long = `${base}/${'k'.repeat(1024)}`;
  const exactly1024 = `${Buffer.from(long)
    .subarray(0, 1024 - '.jpg'.length)
    .toString('latin1')}.jpg`;
  return [
    `${base}/with space and  two.jpg`,
    `${base}/a+b+c.jpg`,
    `${base}/100% real %2F %41.jpg`,
    `${base}/ünïcödé 写真 📷.jpg`,
    `${base}/../../../etc/passwd.jpg`,
    `${base}/..%2F..%2Fescape.jpg`,
    exactly1024,
  ];
}
