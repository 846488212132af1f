import type { RgbPixels } from './image-properties';

/**
 * Colour-and-texture evidence for two scene labels that no local model has a class for, measured on a small
 * thumbnail. Both are deliberately narrow, so that what they claim is rarely wrong:
 * - sky: the share of the top third that is blue, bright and smooth, counted only when such pixels also run along
 *   the top edge (overcast, night and sunset skies are not claimed);
 * - vegetation: the share of the image that is green and textured (leaves and grass; smooth green paint and
 *   green-tinted walls are not).
 */
export interface SceneCues {
  sky: number;
  vegetation: number;
}

// Thresholds on 0–255 channels. A pixel is sky-blue when blue leads red clearly and green at least a little, and it
// is not dark; it is smooth when its brightness differs little from its right and lower neighbours.
const SKY_BLUE_OVER_RED = 25;
const SKY_MIN_BRIGHTNESS = 90;
const SMOOTH_MAX_GRADIENT = 14;
const TOP_EDGE_MIN_SHARE = 0.3;
// Green leads both red and blue; leaves are textured (neighbour differences above the smooth limit on average over
// a 3 × 3 patch, which is what separates foliage from a green wall).
const GREEN_LEAD = 12;
const FOLIAGE_MIN_TEXTURE = 10;

/** Scene cues of an RGB image; meant for a thumbnail of about 160 px (every pixel is visited a few times). */
export function sceneCues(image: RgbPixels): SceneCues {
  const { data, width, height } = image;
  const luma = new Float32Array(width * height);
  for (let i = 0; i < width * height; i += 1) luma[i] = 0.299 * data[i * 3] + 0.587 * data[i * 3 + 1] + 0.114 * data[i * 3 + 2];
  const gradient = (x: number, y: number) => {
    const here = luma[y * width + x];
    const right = x + 1 < width ? luma[y * width + x + 1] : here;
    const below = y + 1 < height ? luma[(y + 1) * width + x] : here;
    return Math.abs(right - here) + Math.abs(below - here);
  };
  const isSky = (x: number, y: number) => {
    const i = (y * width + x) * 3;
    const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
    return b - r >= SKY_BLUE_OVER_RED && b >= g && luma[y * width + x] >= SKY_MIN_BRIGHTNESS && gradient(x, y) <= SMOOTH_MAX_GRADIENT;
  };

  let topEdge = 0;
  for (let x = 0; x < width; x += 1) if (isSky(x, 0) || isSky(x, 1)) topEdge += 1;
  const topRows = Math.max(1, Math.floor(height / 3));
  let skyPixels = 0;
  for (let y = 0; y < topRows; y += 1) for (let x = 0; x < width; x += 1) if (isSky(x, y)) skyPixels += 1;
  const sky = topEdge / width >= TOP_EDGE_MIN_SHARE ? skyPixels / (topRows * width) : 0;

  let foliage = 0;
  for (let y = 1; y < height - 1; y += 1) {
    for (let x = 1; x < width - 1; x += 1) {
      const i = (y * width + x) * 3;
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      if (g - r < GREEN_LEAD || g - b < GREEN_LEAD) continue;
      let texture = 0;
      for (let dy = -1; dy <= 1; dy += 1) for (let dx = -1; dx <= 1; dx += 1) texture += gradient(x + dx, y + dy);
      if (texture / 9 >= FOLIAGE_MIN_TEXTURE) foliage += 1;
    }
  }
  const vegetation = width > 2 && height > 2 ? foliage / ((width - 2) * (height - 2)) : 0;
  return { sky, vegetation };
}
