import { cssColorName, dominantColors, qualityOf, simplifiedColor, type RgbPixels } from '../../mapping/image-properties';

function image(width: number, height: number, colour: (x: number, y: number) => [number, number, number]): RgbPixels {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) data.set(colour(x, y), (y * width + x) * 3);
  return { data, width, height };
}

describe('dominantColors', () => {
  it('finds the two colours of a three-quarters red, one-quarter blue image with their shares', () => {
    const pixels = image(40, 40, (x) => (x < 30 ? [255, 0, 0] : [0, 0, 255]));

    const colours = dominantColors(pixels, 10);

    expect(colours).toEqual([
      { Red: 255, Green: 0, Blue: 0, HexCode: '#ff0000', CSSColor: 'red', SimplifiedColor: 'red', PixelPercent: 75 },
      { Red: 0, Green: 0, Blue: 255, HexCode: '#0000ff', CSSColor: 'blue', SimplifiedColor: 'blue', PixelPercent: 25 },
    ]);
  });

  it('returns at most the number asked for', () => {
    const pixels = image(30, 30, (x, y) => [x * 8, y * 8, 100]);

    expect(dominantColors(pixels, 3)).toHaveLength(3);
    expect(dominantColors(pixels, 0)).toEqual([]);
  });
});

describe('colour names', () => {
  it('picks the nearest CSS name and a plain colour word', () => {
    // A neutral near-white is nearest plain white in Lab; snow is white with a pink tint.
    expect(cssColorName(250, 250, 250)).toBe('white');
    expect(cssColorName(255, 250, 250)).toBe('snow');
    expect(cssColorName(0, 128, 0)).toBe('green');
    expect(simplifiedColor(10, 10, 10)).toBe('black');
    expect(simplifiedColor(128, 128, 128)).toBe('grey');
    expect(simplifiedColor(255, 165, 0)).toBe('orange');
    expect(simplifiedColor(100, 60, 20)).toBe('brown');
  });
});

describe('qualityOf', () => {
  it('rates a checkerboard sharper and more contrasted than a flat grey of the same brightness', () => {
    const checker = qualityOf(image(64, 64, (x, y) => ((x + y) % 2 === 0 ? [0, 0, 0] : [255, 255, 255])));
    const flat = qualityOf(image(64, 64, () => [128, 128, 128]));

    expect(checker.Sharpness).toBeGreaterThan(90);
    expect(checker.Contrast).toBe(100);
    expect(flat).toEqual({ Brightness: 50.2, Sharpness: 0, Contrast: 0 });
  });
});
