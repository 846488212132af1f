import { sceneCues } from '../../mapping/scene-cues';

type Paint = (x: number, y: number) => [number, number, number];

function image(width: number, height: number, paint: Paint) {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) data.set(paint(x, y), (y * width + x) * 3);
  return { data, width, height };
}

// A deterministic speckle, like leaves or grass at thumbnail size.
const speckle = (x: number, y: number) => ((x * 7919 + y * 104729) % 61) - 30;
const sky: [number, number, number] = [110, 160, 225];
const foliage: Paint = (x, y) => [50 + speckle(x, y) / 2, 130 + speckle(x, y), 40 + speckle(x, y) / 2];

describe('scene cues', () => {
  it('finds blue sky over a landscape, and foliage below it', () => {
    const cues = sceneCues(image(160, 120, (x, y) => (y < 50 ? sky : foliage(x, y))));
    expect(cues.sky).toBeGreaterThan(0.9);
    expect(cues.vegetation).toBeGreaterThan(0.4);
  });

  it('does not call a grey overcast sky, a white ceiling or a dark blue wall sky', () => {
    expect(sceneCues(image(160, 120, () => [200, 200, 205])).sky).toBe(0);
    expect(sceneCues(image(160, 120, () => [245, 245, 245])).sky).toBe(0);
    expect(sceneCues(image(160, 120, () => [20, 30, 70])).sky).toBe(0);
  });

  it('needs the blue to reach the top edge: a blue object lower in the frame is not sky', () => {
    const cues = sceneCues(image(160, 120, (_x, y) => (y > 10 && y < 40 ? sky : [128, 128, 128])));
    expect(cues.sky).toBe(0);
  });

  it('does not call smooth green (paint, a wall) vegetation', () => {
    expect(sceneCues(image(160, 120, () => [60, 140, 60])).vegetation).toBe(0);
  });
});

describe('scene cues that look like sky or foliage but are not', () => {
  it('does not call blue at the top sky when it is darker than the rest (aerial haze, a backdrop)', () => {
    const haze: [number, number, number] = [70, 95, 130];
    const cues = sceneCues(image(160, 120, (x, y) => (y < 50 ? haze : [200 + (speckle(x, y) % 20), 200, 190])));
    expect(cues.sky).toBe(0);
  });

  it('does not call a flat green sign with sharp white letters vegetation', () => {
    // Green everywhere, with white strokes every few pixels: textured only along the strokes' edges.
    const sign = image(160, 120, (x, y) => (x % 12 < 2 && y % 30 < 20 ? [240, 240, 240] : [20, 120, 60]));
    expect(sceneCues(sign).vegetation).toBe(0);
  });

  it('still finds foliage that is textured throughout', () => {
    expect(sceneCues(image(160, 120, foliage)).vegetation).toBeGreaterThan(0.5);
  });
});
