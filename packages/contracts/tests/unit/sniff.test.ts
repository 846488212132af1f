import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAGIC_BYTES, sniffImageType } from '../../src/sniff';

const fixture = (name: string): Buffer => readFileSync(join(__dirname, '../../../../tests/fixtures/images', name));
const sniffFormat = (bytes: Uint8Array) => sniffImageType(bytes)?.format ?? null;

describe('sniffImageType', () => {
  test.each([
    ['flowers.jpeg', 'jpeg'],
    ['16-bit-grey-alpha.png', 'png'],
    ['animated-loop-3.gif', 'gif'],
    ['4.webp', 'webp'],
    ['G31D_MULTI.TIF', 'tiff'],
    ['pitm.avif', 'heif'],
    ['check.svg', 'svg'],
  ])('names %s as %s from its bytes', (name, format) => {
    expect(sniffFormat(fixture(name))).toBe(format);
  });

  test.each([
    ['empty', Buffer.alloc(0)],
    ['plain text', Buffer.from('just some text')],
    ['HTML', Buffer.from('<!doctype html><html><svg></svg></html>')],
    ['HTML without doctype', Buffer.from('<html><body><svg width="1"/></body></html>')],
    ['other XML', Buffer.from('<?xml version="1.0"?><feed><svg/></feed>')],
    ['a PDF', Buffer.from('%PDF-1.4\n')],
    ['an MP4', Buffer.from('\0\0\0\x18ftypmp42\0\0\0\0mp42isom', 'latin1')],
    ['a BMP', Buffer.from('BM\x36\0\0\0\0\0\0\0\x36\0\0\0', 'latin1')],
    ['a RIFF WAVE file', Buffer.from('RIFF\x24\0\0\0WAVEfmt ', 'latin1')],
    ['gzip (svgz)', Buffer.from([0x1f, 0x8b, 0x08, 0x00])],
  ])('returns null for %s', (_label, bytes) => {
    expect(sniffFormat(bytes)).toBeNull();
  });

  test('ignores a misleading name-like prefix and reads only the magic number', () => {
    expect(sniffFormat(Buffer.concat([Buffer.from('image.png'), fixture('flowers.jpeg')]))).toBeNull();
  });

  test('recognises an SVG after a BOM, an XML declaration and comments', () => {
    const text = '\uFEFF<?xml version="1.0"?>\n<!-- drawn by hand -->\n<svg xmlns="http://www.w3.org/2000/svg"/>';
    expect(sniffFormat(Buffer.from(text))).toBe('svg');
  });

  test('recognises a HEIF by a compatible brand', () => {
    const ftyp = Buffer.from('\0\0\0\x1cftypmp41\0\0\0\0mp41isommif1', 'latin1');
    expect(sniffFormat(ftyp)).toBe('heif');
  });

  test('names AVIF from its first bytes alone (the console reads no more)', () => {
    expect(sniffImageType(fixture('pitm.avif').subarray(0, MAGIC_BYTES))).toEqual({ format: 'heif', contentType: 'image/avif' });
  });

  test('tells HEIC from AVIF by the brands', () => {
    const heic = Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic', 'latin1');
    expect(sniffImageType(heic)).toEqual({ format: 'heif', contentType: 'image/heic' });
  });

  test('reads a plain Uint8Array as well as a Buffer (the browser has no Buffer)', () => {
    expect(sniffImageType(new Uint8Array(fixture('check.svg')))).toEqual({ format: 'svg', contentType: 'image/svg+xml' });
  });
});
