import sharp from 'sharp';
import { imagePropertiesSchema } from '@smart-image-pipeline/contracts';
import { imageProperties, type Pixels } from '../../src/render';

const pixelsOf = async (input: sharp.Sharp): Promise<Pixels> => {
  const { data, info } = await input.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as 3 | 4 };
};

/** A 600x400 image: the left two thirds navy, the right third gold. */
const twoColours = () =>
  sharp({ create: { width: 600, height: 400, channels: 3, background: { r: 0, g: 0, b: 128 } } }).composite([
    { input: { create: { width: 200, height: 400, channels: 3, background: { r: 255, g: 215, b: 0 } } }, left: 400, top: 0 },
  ]);

describe('imageProperties (sharp stand-in for Rekognition IMAGE_PROPERTIES)', () => {
  it('finds the two colours with their shares, largest first, in the contract shape', async () => {
    // Act
    const properties = await imageProperties(await pixelsOf(twoColours()));

    // Assess
    expect(imagePropertiesSchema.parse(properties)).toEqual(properties);
    // Resampling blends a column of pixels at the border; those land in tiny clusters of their own.
    const [first, second] = properties.DominantColors;
    expect([first.CSSColor, first.SimplifiedColor, second.CSSColor, second.SimplifiedColor]).toEqual(['navy', 'blue', 'gold', 'yellow']);
    expect(first.PixelPercent).toBeCloseTo(66.7, -0.5);
    expect(second.PixelPercent).toBeCloseTo(33.3, -0.5);
    expect(first.PixelPercent + second.PixelPercent).toBeGreaterThan(97);
  });

  it('rates a blurred copy less sharp, a dark copy darker and a flat image without contrast', async () => {
    // Prepare
    // Fine detail: 4 px stripes stay 1-2 px stripes in the 160 px thumbnail.
    const stripes = Array.from(
      { length: 75 },
      (_, i) => `<rect x="${i * 8}" y="0" width="4" height="400" fill="#${i % 3 ? '3a5f0b' : 'f4e04d'}"/>`,
    ).join('');
    const photo = await sharp(
      Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400"><rect width="600" height="400" fill="#c8d8e8"/>${stripes}</svg>`,
      ),
    )
      .png()
      .toBuffer();

    // Act
    const crisp = await imageProperties(await pixelsOf(sharp(photo)));
    const blurred = await imageProperties(await pixelsOf(sharp(photo).blur(6)));
    const dark = await imageProperties(await pixelsOf(sharp(photo).linear(0.3, 0)));
    const flat = await imageProperties(
      await pixelsOf(sharp({ create: { width: 300, height: 300, channels: 3, background: { r: 128, g: 128, b: 128 } } })),
    );

    // Assess
    expect(blurred.Quality.Sharpness).toBeLessThan(crisp.Quality.Sharpness / 2);
    expect(dark.Quality.Brightness).toBeLessThan(crisp.Quality.Brightness / 2);
    expect(flat.Quality.Contrast).toBe(0);
    expect(flat.DominantColors).toHaveLength(1);
  });

  it('measures a transparent image on white, as the JPEG variants show it', async () => {
    // Prepare
    const clear = sharp({ create: { width: 200, height: 200, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } });

    // Act
    const properties = await imageProperties(await pixelsOf(clear));

    // Assess
    expect(properties.DominantColors[0]).toMatchObject({ HexCode: '#ffffff', SimplifiedColor: 'white', PixelPercent: 100 });
  });
});
