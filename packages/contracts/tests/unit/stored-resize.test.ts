import { planVariantSides, resizeOutputSchema, reusableResize, type ResizeOutput } from '../../src';

/** A resize result of a width x height image with the WebP/JPEG pair of each longest side, as ResizeImage writes them. */
function resizeOf(width: number, height: number, sides: number[]): ResizeOutput {
  const scaled = (side: number) => {
    const scale = side / Math.max(width, height);
    return width >= height ? { width: side, height: Math.round(height * scale) } : { width: Math.round(width * scale), height: side };
  };
  return resizeOutputSchema.parse({
    mediaType: 'image',
    analysable: true,
    image: { format: 'jpeg', width, height, bytes: 1000, pages: 1, animated: false, hasAlpha: false, space: 'srgb', bitsPerSample: 8 },
    exif: { make: null, model: null, takenAt: null, hasGps: false, orientation: null },
    placeholder: { kind: 'thumbhash', value: 'YJqGPQw7sFlslqhFafSE+Q==' },
    perceptualHash: 'c3d2a1f08e4b7765',
    imageProperties: { Quality: { Brightness: 50, Sharpness: 50, Contrast: 50 }, DominantColors: [] },
    variants: sides.flatMap((side) =>
      (['webp', 'jpeg'] as const).map((format) => ({ key: `images/x/y/w${side}.${format}`, format, ...scaled(side), bytes: 10 })),
    ),
    analysisImage: { bucket: 'uploads', key: 'uploads/a.jpg', versionId: null, width, height, bytes: 1000 },
  });
}

describe('reusableResize', () => {
  it('returns a portrait result whose variants are the pairs the widths plan', () => {
    // Prepare
    const stored = resizeOf(3000, 4000, [2048, 1024, 256]);

    // Act
    const reused = reusableResize(stored, [256, 1024, 2048]);

    // Assess
    expect(reused).toEqual(stored);
  });

  it('matches an image smaller than the largest width by its one original-size variant', () => {
    // Prepare
    const stored = resizeOf(200, 100, [200]);

    // Act & Assess
    expect(planVariantSides({ width: 200, height: 100 }, [256, 1024])).toEqual([200]);
    expect(reusableResize(stored, [256, 1024])).toEqual(stored);
    expect(reusableResize(stored, [128, 1024])).toBeNull();
  });

  it('is null for other widths, a missing format, a video, a partial item or nothing', () => {
    // Prepare
    const stored = resizeOf(3000, 4000, [2048, 1024, 256]);
    const { imageProperties: _dropped, ...partial } = stored;

    // Act & Assess
    expect(reusableResize(stored, [256, 1024])).toBeNull();
    expect(reusableResize(stored, [320, 1024, 2048])).toBeNull();
    expect(reusableResize({ ...stored, variants: stored.variants.filter((v) => v.format === 'webp') }, [256, 1024, 2048])).toBeNull();
    expect(reusableResize({ ...stored, mediaType: 'video' }, [256, 1024, 2048])).toBeNull();
    expect(reusableResize(partial, [256, 1024, 2048])).toBeNull();
    expect(reusableResize(undefined, [256, 1024, 2048])).toBeNull();
  });
});
