import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { ANALYSIS_MAX_BYTES, encodeAnalysisJpeg } from '../../src/analysis-image';
import type { Pixels } from '../../src/render';

const noise = (width: number, height: number, channels: 3 | 4 = 3): Pixels => ({
  data: randomBytes(width * height * channels),
  width,
  height,
  channels,
});

describe('encodeAnalysisJpeg', () => {
  test('keeps the size and high quality when the limit allows', async () => {
    // Act
    const copy = await encodeAnalysisJpeg(noise(200, 100));

    // Assess
    expect([copy.width, copy.height]).toEqual([200, 100]);
    expect(copy.body.length).toBeLessThanOrEqual(ANALYSIS_MAX_BYTES);
  });

  test('steps the quality down before shrinking', async () => {
    // Prepare: noise at quality 90 is far bigger than at 50.
    const pixels = noise(400, 300);
    const atNinety = (await encodeAnalysisJpeg(pixels)).body.length;

    // Act
    const copy = await encodeAnalysisJpeg(pixels, Math.floor(atNinety * 0.7));

    // Assess
    expect([copy.width, copy.height]).toEqual([400, 300]);
    expect(copy.body.length).toBeLessThanOrEqual(atNinety * 0.7);
  });

  test('shrinks by quarters when even the lowest quality is too big', async () => {
    // Act
    const copy = await encodeAnalysisJpeg(noise(400, 300), 20_000);

    // Assess
    expect(copy.width).toBeLessThan(400);
    expect(copy.width / copy.height).toBeCloseTo(4 / 3, 1);
    expect(copy.body.length).toBeLessThanOrEqual(20_000);
  });

  test('writes 8-bit RGB without alpha or metadata and at most 4096 px', async () => {
    // Prepare: 4100x10 RGBA stays cheap but crosses the 4096 px limit.
    const pixels = noise(4100, 10, 4);

    // Act
    const copy = await encodeAnalysisJpeg(pixels);

    // Assess
    const meta = await sharp(copy.body).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', channels: 3, depth: 'uchar', space: 'srgb', width: 4096, hasProfile: false });
    expect(meta.exif).toBeUndefined();
  });
});
