import fc from 'fast-check';
import sharp from 'sharp';
import { recordFigures } from '../hardening/support/figures';
import { fixture } from '../hardening/support/hostile-corpus';
import { jpegWithGps } from '../hardening/support/image-builders';
import { resizeOnce } from '../hardening/support/resize-harness';

/**
 * Byte-level fuzzing of the resize core, thousands of cases (functions/resize-image/tests/unit/fuzz.test.ts runs
 * 300 in `npm test`). Seeds are every fixture format shrunk to a few KB, so each case is cheap and the run stays
 * bounded; mutations are byte flips (mostly near the start, where parsers decide), truncations, spliced junk and
 * repeated segments.
 */

const NAMED_ERRORS = ['UnsupportedImageTypeError', 'CorruptImageError', 'ImageTooLargeError'];
const CASES = Number(process.env.FUZZ_CASES ?? 5000);
const CASE_TIMEOUT_MS = 30_000;
const RUN_LIMIT_MS = 20 * 60_000;

/** Positions are naturals taken modulo the seed length; fast-check favours small ones, i.e. the headers. */
type Mutation =
  | { kind: 'flip'; flips: Array<{ at: number; value: number }> }
  | { kind: 'cut'; at: number }
  | { kind: 'splice'; at: number; junk: Uint8Array }
  | { kind: 'repeat'; at: number; length: number; times: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('flip' as const),
      flips: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 1, max: 255 }) }), { minLength: 1, maxLength: 8 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), junk: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('repeat' as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 256 }),
      times: fc.integer({ min: 2, max: 50 }),
    }),
  },
);

/** The magic number (first 12 bytes) is left alone: without it every case is a plain "unsupported type". */
const MAGIC = 12;

function mutate(seed: Buffer, change: Mutation): Buffer {
  const position = (at: number) => MAGIC + (at % (seed.length - MAGIC));
  switch (change.kind) {
    case 'flip': {
      const copy = Buffer.from(seed);
      for (const { at, value } of change.flips) copy[position(at)] ^= value;
      return copy;
    }
    case 'cut':
      return seed.subarray(0, position(change.at));
    case 'splice': {
      const at = position(change.at);
      return Buffer.concat([seed.subarray(0, at), Buffer.from(change.junk), seed.subarray(at)]);
    }
    case 'repeat': {
      const at = position(change.at);
      const segment = seed.subarray(at, at + change.length);
      return Buffer.concat([seed.subarray(0, at), ...Array<Buffer>(change.times).fill(segment), seed.subarray(at)]);
    }
  }
}

async function seeds(): Promise<Array<{ name: string; body: Buffer }>> {
  const small = (name: string) => sharp(fixture(name)).resize(96, 96, { fit: 'inside' });
  return [
    { name: 'jpeg', body: await small('ai-face.jpg').jpeg({ quality: 70 }).toBuffer() },
    { name: 'jpeg-progressive', body: await small('flowers.jpeg').jpeg({ progressive: true }).toBuffer() },
    {
      name: 'jpeg-exif-orientation',
      body: await sharp(fixture('Portrait_6.jpg')).resize(80).withMetadata({ orientation: 6 }).jpeg().toBuffer(),
    },
    { name: 'jpeg-gps', body: await jpegWithGps(96, 64) },
    { name: 'jpeg-cmyk', body: await small('Channel_digital_image_CMYK_color_no_profile.jpg').toColourspace('cmyk').jpeg().toBuffer() },
    { name: 'png-16-bit-grey-alpha', body: fixture('16-bit-grey-alpha.png') },
    { name: 'png-palette', body: await small('flowers.jpeg').png({ palette: true, colours: 16 }).toBuffer() },
    { name: 'gif-animated', body: await sharp(fixture('animated-loop-3.gif'), { animated: true }).resize(64).gif().toBuffer() },
    { name: 'gif-tiny', body: fixture('grey-plus-alpha.gif') },
    { name: 'webp', body: await small('4.webp').webp({ quality: 60 }).toBuffer() },
    { name: 'webp-lossless-alpha', body: await small('16-bit-grey-alpha.png').webp({ lossless: true }).toBuffer() },
    { name: 'tiff-lzw', body: await small('G31D_MULTI.TIF').tiff({ compression: 'lzw' }).toBuffer() },
    { name: 'avif', body: await small('pitm.avif').avif({ quality: 40, effort: 0 }).toBuffer() },
    { name: 'svg', body: fixture('check.svg') },
  ];
}

describe('resize core under byte-level fuzzing (soak)', () => {
  test(
    `ends each of ${CASES} mutated inputs in success or a named error, never a crash or a hang`,
    async () => {
      // Prepare
      const corpus = await seeds();
      const outcomes = new Map<string, number>();
      const unexpected: string[] = [];
      let longestMs = 0;
      const started = Date.now();

      // Act
      const details = await fc.check(
        fc.asyncProperty(fc.nat({ max: corpus.length - 1 }), mutation, async (seedIndex, change) => {
          const caseStarted = Date.now();
          const outcome = await resizeOnce(
            mutate(corpus[seedIndex].body, change),
            { allowSvg: true, maxInputPixels: 4_000_000, variantWidths: [64, 256] },
            CASE_TIMEOUT_MS,
          );
          longestMs = Math.max(longestMs, Date.now() - caseStarted);
          const label = outcome.kind === 'failed' ? outcome.name : outcome.kind;
          outcomes.set(label, (outcomes.get(label) ?? 0) + 1);
          if (label !== 'succeeded' && !NAMED_ERRORS.includes(label)) {
            unexpected.push(`${corpus[seedIndex].name} ${change.kind}: ${label}${outcome.kind === 'failed' ? ` ${outcome.message}` : ''}`);
            return false;
          }
          return true;
        }),
        { numRuns: CASES, interruptAfterTimeLimit: RUN_LIMIT_MS, markInterruptAsFailure: false, endOnFailure: true },
      );

      // Assess
      recordFigures('resize-fuzz', {
        cases: details.numRuns,
        seeds: corpus.length,
        outcomes: Object.fromEntries(outcomes),
        unexpected,
        longestCaseMs: longestMs,
        totalMs: Date.now() - started,
        seed: details.seed,
      });
      expect(unexpected).toEqual([]);
      expect(details.failed).toBe(false);
      expect(details.numRuns).toBeGreaterThanOrEqual(Math.min(CASES, 3000));
      expect(outcomes.get('succeeded')).toBeGreaterThan(0);
      expect(NAMED_ERRORS.filter((name) => (outcomes.get(name) ?? 0) > 0).length).toBeGreaterThanOrEqual(2);
    },
    RUN_LIMIT_MS + 120_000,
  );
});
