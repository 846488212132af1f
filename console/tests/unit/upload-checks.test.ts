import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UPLOAD_CONTENT_TYPES } from '../../../functions/api/src/api-deps';
import { refusalReason, SNIFF_BYTES, sniffImageType } from '../../web/file-check';

const FIXTURES = path.join(__dirname, '../../../tests/fixtures/images');
const head = (name: string) => new Uint8Array(readFileSync(path.join(FIXTURES, name)).subarray(0, SNIFF_BYTES));

describe('sniffImageType', () => {
  it.each([
    ['flowers.jpeg', 'image/jpeg'],
    ['16-bit-grey-alpha.png', 'image/png'],
    ['4.webp', 'image/webp'],
    ['animated-loop-3.gif', 'image/gif'],
    ['pitm.avif', 'image/avif'],
    ['G31D_MULTI.TIF', 'image/tiff'],
  ])('recognises %s by its bytes', (name, type) => {
    // Act
    const sniffed = sniffImageType(head(name));

    // Assess
    expect(sniffed).toBe(type);
  });

  it('does not trust a name: an SVG or text file renamed to .jpg is no image', () => {
    // Act
    const svg = sniffImageType(head('check.svg'));
    const text = sniffImageType(new TextEncoder().encode('<script>alert(1)</script>'));

    // Assess
    expect(svg).toBeUndefined();
    expect(text).toBeUndefined();
  });
});

describe('refusalReason', () => {
  const accepted = UPLOAD_CONTENT_TYPES;

  it('accepts a JPEG within the limit', () => {
    expect(refusalReason(1000, head('flowers.jpeg'), 2000, accepted)).toBeUndefined();
  });

  it('refuses an oversized file naming both sizes', () => {
    expect(refusalReason(3 * 1024 * 1024, head('flowers.jpeg'), 1024 * 1024, accepted)).toBe('The file is 3.0 MB; the limit is 1.0 MB.');
  });

  it('refuses an empty file and non-image bytes with a reason', () => {
    expect(refusalReason(0, new Uint8Array(), 10, accepted)).toMatch(/empty/);
    expect(refusalReason(10, head('check.svg'), 1000, accepted)).toMatch(/not a supported image/);
  });

  it('refuses a recognised type that the deployment does not accept', () => {
    expect(refusalReason(10, head('G31D_MULTI.TIF'), 1000, ['image/jpeg'])).toMatch(/TIFF images are not accepted/);
  });
});
