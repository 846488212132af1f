import fc from 'fast-check';
import { bytesSaved, fitLongestSide, planBaseSide, planVariantSides } from '../../src/plan';

describe('planVariantSides', () => {
  test('keeps configured sizes up to the original, largest first', () => {
    expect(planVariantSides({ width: 4000, height: 3000 }, [256, 1024, 2048])).toEqual([2048, 1024, 256]);
  });

  test('adds the original size when it is smaller than the largest configured size', () => {
    expect(planVariantSides({ width: 1920, height: 1080 }, [256, 1024, 2048])).toEqual([1920, 1024, 256]);
  });

  test('keeps only the original size for an image smaller than every configured size', () => {
    expect(planVariantSides({ width: 2, height: 1 }, [256, 1024, 2048])).toEqual([2]);
  });

  test('never plans a side longer than the original', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 1, max: 20_000 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 8192 }), { minLength: 1, maxLength: 5 }),
        (w, h, widths) => {
          const sides = planVariantSides({ width: w, height: h }, widths);
          expect(sides.length).toBeGreaterThan(0);
          for (const side of sides) {
            const size = fitLongestSide({ width: w, height: h }, side);
            expect(size.width).toBeLessThanOrEqual(w);
            expect(size.height).toBeLessThanOrEqual(h);
            expect(Math.max(size.width, size.height)).toBe(side);
          }
        },
      ),
    );
  });
});

describe('fitLongestSide', () => {
  test('keeps the aspect ratio and at least one pixel on the short side', () => {
    expect(fitLongestSide({ width: 3000, height: 1 }, 256)).toEqual({ width: 256, height: 1 });
    expect(fitLongestSide({ width: 3000, height: 4000 }, 256)).toEqual({ width: 192, height: 256 });
  });
});

describe('planBaseSide', () => {
  test('decodes at the largest variant when no analysis copy is needed', () => {
    expect(planBaseSide({ width: 8000, height: 6000 }, [2048, 1024, 256], false, true)).toBe(2048);
  });

  test('uses JPEG shrink-on-load (1/2) for an analysis copy of a 48 MP JPEG', () => {
    expect(planBaseSide({ width: 8000, height: 6000 }, [2048, 1024, 256], true, true)).toBe(4000);
  });

  test('caps other formats at 4096 px for the analysis copy', () => {
    expect(planBaseSide({ width: 8000, height: 6000 }, [2048, 1024, 256], true, false)).toBe(4096);
  });

  test('keeps the full size when an analysis copy is needed for an image within 4096 px', () => {
    expect(planBaseSide({ width: 600, height: 450 }, [600, 256], true, true)).toBe(600);
  });
});

describe('bytesSaved', () => {
  test('counts the upload against its largest WebP variant, never below zero', () => {
    const variants = [
      { format: 'webp', width: 256, bytes: 9_000 },
      { format: 'jpeg', width: 2048, bytes: 400_000 },
      { format: 'webp', width: 2048, bytes: 300_000 },
    ];
    expect(bytesSaved({ image: { bytes: 2_000_000 }, variants })).toBe(1_700_000);
    expect(bytesSaved({ image: { bytes: 100_000 }, variants })).toBe(0);
    expect(bytesSaved({ image: { bytes: 100_000 }, variants: [] })).toBe(0);
  });
});
