import { execFileSync } from 'node:child_process';
import sharp from 'sharp';
import { differenceHash } from '../../src/perceptual-hash';
import { perceptualHash, thumbHash, type Pixels } from '../../src/render';
import { fixture } from './helpers/fixtures';

const pixelsOf = async (body: Buffer): Promise<Pixels> => {
  const { data, info } = await sharp(body).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels === 4 ? 4 : 3 };
};

const hamming = (a: string, b: string): number => {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let bits = 0;
  while (x) {
    bits += Number(x & 1n);
    x >>= 1n;
  }
  return bits;
};

describe('differenceHash', () => {
  test('sets a bit where a pixel is brighter than its right neighbour, MSB first', () => {
    const grey = new Uint8Array(72);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 9; x++) grey[y * 9 + x] = 255 - x * 10; // brighter on the left
    expect(differenceHash(grey)).toBe('ffffffffffffffff');
    grey.fill(0);
    grey[0] = 1; // only the first comparison of the first row
    expect(differenceHash(grey)).toBe('8000000000000000');
  });

  test('rejects input that is not 9x8', () => {
    expect(() => differenceHash(new Uint8Array(64))).toThrow(RangeError);
  });
});

describe('perceptualHash', () => {
  test('stays close for a re-encoded, resized copy and far for a different image', async () => {
    // Prepare
    const original = fixture('flowers.jpeg');
    const copy = await sharp(original).resize(800).jpeg({ quality: 40 }).toBuffer();

    // Act
    const [a, b, c] = await Promise.all([original, copy, fixture('group-1.jpg')].map(async (body) => perceptualHash(await pixelsOf(body))));

    // Assess
    expect(hamming(a, b)).toBeLessThanOrEqual(4);
    expect(hamming(a, c)).toBeGreaterThan(12);
  });
});

describe('thumbHash', () => {
  test('decodes with the thumbhash package to the image aspect ratio and average colour', async () => {
    // Prepare
    const red = await sharp({ create: { width: 400, height: 200, channels: 3, background: { r: 220, g: 20, b: 20 } } })
      .png()
      .toBuffer();

    // Act
    const hash = await thumbHash(await pixelsOf(red));

    // Assess: the package is ES-module only, so a child Node process decodes it.
    const script = `import('thumbhash').then((t) => { const h = Buffer.from(process.argv[1], 'base64');
      console.log(JSON.stringify({ ratio: t.thumbHashToApproximateAspectRatio(h), avg: t.thumbHashToAverageRGBA(h) })); })`;
    const decoded = JSON.parse(execFileSync(process.execPath, ['-e', script, hash], { cwd: __dirname, encoding: 'utf8' }));
    expect(decoded.ratio).toBeCloseTo(2, 0);
    expect(decoded.avg.r).toBeGreaterThan(0.75);
    expect(decoded.avg.g).toBeLessThan(0.2);
    expect(decoded.avg.a).toBe(1);
  });
});
