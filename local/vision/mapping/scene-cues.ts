import type { RgbPixels } from './image-properties';

/**
 * Colour-and-texture evidence for two scene labels that no local model has a class for, measured on a small
 * thumbnail. Both are deliberately narrow, so that what they claim is rarely wrong:
 * - sky: the share of the top third that is blue, bright and smooth, counted only when such pixels also run along
 *   the top edge (overcast, night and sunset skies are not claimed), and only when that blue is brighter than the
 *   rest of the picture: daylight sky is the light source of the scene below it, while the blue-grey haze at the top
 *   of an aerial view or a painted backdrop is not brighter than what it frames;
 * - vegetation: the share of the image that is green and textured (leaves and grass), counted only when most of the
 *   green is textured: foliage is uneven throughout, while a green sign, a circuit board or painted green is flat
 *   with sharp edges (letters, traces) that alone look textured.
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
/** At least this share of the green pixels must be textured for any of it to count as foliage. */
const FOLIAGE_MIN_TEXTURED_SHARE = 0.5;

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
  let skyLuma = 0;
  for (let y = 0; y < topRows; y += 1) {
    for (let x = 0; x < width; x += 1) {
      if (!isSky(x, y)) continue;
      skyPixels += 1;
      skyLuma += luma[y * width + x];
    }
  }
  let belowLuma = 0;
  for (let i = topRows * width; i < width * height; i += 1) belowLuma += luma[i];
  const belowMean = height > topRows ? belowLuma / ((height - topRows) * width) : 0;
  const brighterThanBelow = skyPixels > 0 && skyLuma / skyPixels > belowMean;
  const sky = topEdge / width >= TOP_EDGE_MIN_SHARE && brighterThanBelow ? skyPixels / (topRows * width) : 0;

  let foliage = 0;
  let green = 0;
  for (let y = 1; y < height - 1; y += 1) {
    for (let x = 1; x < width - 1; x += 1) {
      const i = (y * width + x) * 3;
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      if (g - r < GREEN_LEAD || g - b < GREEN_LEAD) continue;
      green += 1;
      let texture = 0;
      for (let dy = -1; dy <= 1; dy += 1) for (let dx = -1; dx <= 1; dx += 1) texture += gradient(x + dx, y + dy);
      if (texture / 9 >= FOLIAGE_MIN_TEXTURE) foliage += 1;
    }
  }
  const mostlyTextured = green > 0 && foliage / green >= FOLIAGE_MIN_TEXTURED_SHARE;
  const vegetation = width > 2 && height > 2 && mostlyTextured ? foliage / ((width - 2) * (height - 2)) : 0;
  return { sky, vegetation };
}
