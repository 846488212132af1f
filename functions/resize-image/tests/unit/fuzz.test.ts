import fc from 'fast-check';
import sharp from 'sharp';
import { resizeImage } from '../../src/resize-image';
import { fixture, settings, upload } from './helpers/fixtures';

/** The only ways an image may fail; anything else (TypeError, a libvips crash, a hang) is a bug. */
const NAMED_ERRORS = ['UnsupportedImageTypeError', 'CorruptImageError', 'ImageTooLargeError'];
const CASE_TIMEOUT_MS = 20_000;

const seeds: Buffer[] = [];

beforeAll(async () => {
  const smallWebp = await sharp(fixture('4.webp')).resize(160).webp().toBuffer();
  const smallTiff = await sharp(fixture('G31D_MULTI.TIF')).resize(120).tiff({ compression: 'lzw' }).toBuffer();
  seeds.push(
    fixture('ai-face.jpg'),
    fixture('Portrait_6.jpg'),
    fixture('16-bit-grey-alpha.png'),
    fixture('animated-loop-3.gif'),
    fixture('grey-plus-alpha.gif'),
    fixture('pitm.avif'),
    fixture('check.svg'),
    smallWebp,
    smallTiff,
  );
});

type Mutation = { kind: 'flip'; at: number; value: number }[] | { kind: 'cut'; at: number };

const mutate = (seed: Buffer, mutation: Mutation): Buffer => {
  if (!Array.isArray(mutation)) return seed.subarray(0, Math.floor(mutation.at * seed.length));
  const copy = Buffer.from(seed);
  // Half the flips land in the header (after the magic number), where the parsers decide; half anywhere.
  const header = Math.min(copy.length, 1024);
  for (const { at, value } of mutation) {
    const index = at < 0.5 ? 12 + Math.floor(at * 2 * (header - 12)) : Math.floor((at - 0.5) * 2 * (copy.length - 1));
    copy[Math.min(index, copy.length - 1)] ^= value;
  }
  return copy;
};

const outcome = async (body: Buffer): Promise<string> => {
  const { store, input } = upload(body);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('hang'), CASE_TIMEOUT_MS);
  });
  const run = resizeImage(input, {
    store,
    settings: settings({ allowSvg: true, maxInputPixels: 4_000_000, variantWidths: [64, 256] }),
  }).then(
    () => 'ok',
    (error: Error) => error.name,
  );
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

describe('resizeImage under byte-level fuzzing', () => {
  test('ends every mutated fixture in success or a named error', async () => {
    const mutation: fc.Arbitrary<Mutation> = fc.oneof(
      fc.array(
        fc.record({
          kind: fc.constant('flip' as const),
          at: fc.double({ min: 0, max: 1, noNaN: true }),
          value: fc.integer({ min: 1, max: 255 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    );
    const seen = new Map<string, number>();

    await fc.assert(
      fc.asyncProperty(fc.nat(), mutation, async (seedIndex, change) => {
        const result = await outcome(mutate(seeds[seedIndex % seeds.length], change));
        seen.set(result, (seen.get(result) ?? 0) + 1);
        expect(['ok', ...NAMED_ERRORS]).toContain(result);
      }),
      { numRuns: 300, interruptAfterTimeLimit: 90_000, markInterruptAsFailure: false },
    );

    expect(seen.get('ok')).toBeGreaterThan(0);
    expect(NAMED_ERRORS.some((name) => (seen.get(name) ?? 0) > 0)).toBe(true);
  }, 120_000);
});
