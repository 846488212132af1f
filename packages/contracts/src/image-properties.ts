import { rgbToLab, rgbToLch } from './cielab';
import { CSS_COLORS } from './css-colors';

/**
 * Dominant colours and quality from pixels, in the shape of DetectLabels' IMAGE_PROPERTIES (field for field, so
 * one summariser reads either). Pure arithmetic: ResizeImage runs it on sharp's thumbnail in the cloud (instead of
 * paying Rekognition's Image Properties), local/vision runs it for the local DetectLabels.
 */

/** One dominant colour, as Rekognition's DominantColor. */
export interface DominantColor {
  Red: number;
  Green: number;
  Blue: number;
  HexCode: string;
  CSSColor: string;
  SimplifiedColor: string;
  PixelPercent: number;
}

/** Raw 8-bit RGB pixels of a small thumbnail. */
export interface RgbPixels {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Brightness, Sharpness and Contrast on Rekognition's 0–100 scale. */
export interface ImageQuality {
  Brightness: number;
  Sharpness: number;
  Contrast: number;
}

/** DetectLabels' ImageProperties (whole image only). */
export interface ImageProperties {
  Quality: ImageQuality;
  DominantColors: DominantColor[];
}

/** Builds DetectLabels' ImageProperties (Quality and DominantColors) from a thumbnail. */
export function toImageProperties(pixels: RgbPixels, maxDominantColors: number): ImageProperties {
  return { Quality: qualityOf(pixels), DominantColors: dominantColors(pixels, maxDominantColors) };
}

/** Measures brightness (mean luma), contrast (5th–95th percentile spread) and sharpness (Laplacian variance). */
export function qualityOf(pixels: RgbPixels): ImageQuality {
  const { width, height } = pixels;
  const luma = lumaOf(pixels);
  const histogram = new Array<number>(256).fill(0);
  let sum = 0;
  for (const value of luma) {
    histogram[Math.round(value)] += 1;
    sum += value;
  }
  const percentile = (fraction: number) => {
    let seen = 0;
    for (let level = 0; level < 256; level += 1) {
      seen += histogram[level];
      if (seen >= fraction * luma.length) return level;
    }
    return 255;
  };
  let laplacianSum = 0;
  let laplacianSquares = 0;
  let count = 0;
  for (let y = 1; y < height - 1; y += 1) {
    for (let x = 1; x < width - 1; x += 1) {
      const i = y * width + x;
      const value = 4 * luma[i] - luma[i - 1] - luma[i + 1] - luma[i - width] - luma[i + width];
      laplacianSum += value;
      laplacianSquares += value * value;
      count += 1;
    }
  }
  const variance = count > 0 ? laplacianSquares / count - (laplacianSum / count) ** 2 : 0;
  // 500 puts a crisp photo thumbnail near 90 and a blurred one under 20; Rekognition's own scale is not published.
  const sharpness = 100 * (1 - Math.exp(-variance / 500));
  return {
    Brightness: round2((sum / luma.length / 255) * 100),
    Sharpness: round2(sharpness),
    Contrast: round2(((percentile(0.95) - percentile(0.05)) / 255) * 100),
  };
}

/** Finds up to `max` dominant colours with k-means (deterministic start), largest share first. */
export function dominantColors(pixels: RgbPixels, max: number): DominantColor[] {
  const count = pixels.width * pixels.height;
  if (max <= 0 || count === 0) return [];
  // Cluster a regular sample of at most ~4096 pixels (fast), then count every pixel for the shares.
  const stride = Math.max(1, Math.floor(count / 4096));
  const sample: [number, number, number][] = [];
  for (let i = 0; i < count; i += stride) sample.push(pixelAt(pixels, i));
  const centres = initialCentres(sample, Math.min(max, sample.length));
  for (let iteration = 0; iteration < 10; iteration += 1) {
    const sums = centres.map(() => [0, 0, 0, 0]);
    for (const point of sample) {
      const sum = sums[nearestCentre(point[0], point[1], point[2], centres)];
      sum[0] += point[0];
      sum[1] += point[1];
      sum[2] += point[2];
      sum[3] += 1;
    }
    sums.forEach((sum, index) => {
      if (sum[3] > 0) centres[index] = [sum[0] / sum[3], sum[1] / sum[3], sum[2] / sum[3]];
    });
  }
  const sizes = new Array<number>(centres.length).fill(0);
  const { data } = pixels;
  for (let i = 0; i < count; i += 1) sizes[nearestCentre(data[i * 3], data[i * 3 + 1], data[i * 3 + 2], centres)] += 1;
  return centres
    .map((centre, index) => ({ centre: centre.map(Math.round) as [number, number, number], share: sizes[index] / count }))
    .filter((cluster) => cluster.share > 0)
    .sort((a, b) => b.share - a.share)
    .map(({ centre: [red, green, blue], share }) => ({
      Red: red,
      Green: green,
      Blue: blue,
      HexCode: `#${[red, green, blue].map((channel) => channel.toString(16).padStart(2, '0')).join('')}`,
      CSSColor: cssColorName(red, green, blue),
      SimplifiedColor: simplifiedColor(red, green, blue),
      PixelPercent: round2(share * 100),
    }));
}

function pixelAt(pixels: RgbPixels, index: number): [number, number, number] {
  return [pixels.data[index * 3], pixels.data[index * 3 + 1], pixels.data[index * 3 + 2]];
}

// The CSS colours in Lab, computed once (cssColorName runs once per dominant colour).
let cssColorsLab: ReadonlyArray<readonly [string, number, number, number]> | undefined;

/** The nearest CSS colour name, by distance in CIELAB (what the eye sees as close, not what is close in RGB). */
export function cssColorName(red: number, green: number, blue: number): string {
  cssColorsLab ??= CSS_COLORS.map(([name, r, g, b]) => [name, ...rgbToLab(r, g, b)] as const);
  const [lightness, a, b] = rgbToLab(red, green, blue);
  let best = cssColorsLab[0][0];
  let bestDistance = Infinity;
  for (const [name, cssLightness, cssA, cssB] of cssColorsLab) {
    const distance = (cssLightness - lightness) ** 2 + (cssA - a) ** 2 + (cssB - b) ** 2;
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

/** Rekognition's 12 simplified colour words (its API reference says "one of 12"; its responses spell grey "grey"). */
export const SIMPLIFIED_COLORS = [
  'black',
  'white',
  'grey',
  'red',
  'pink',
  'orange',
  'brown',
  'yellow',
  'green',
  'teal',
  'blue',
  'purple',
] as const;
export type SimplifiedColor = (typeof SIMPLIFIED_COLORS)[number];

// Below this CIELAB chroma a colour reads as black, grey or white. 14 keeps dark slate grey (C* 12) grey, as
// Rekognition calls it, and light steel blue (C* 15) blue. The limit rises towards black (a very dark navy or wine
// looks black) and towards white (cream and ivory look white).
const NEUTRAL_CHROMA = 14;
const DARK_LIGHTNESS = 25;
const LIGHT_LIGHTNESS = 90;

/** One of Rekognition's 12 plain colour words, from CIELAB lightness, chroma and hue. */
export function simplifiedColor(red: number, green: number, blue: number): SimplifiedColor {
  const [lightness, chroma, hue] = rgbToLch(red, green, blue);
  const neutralBelow = NEUTRAL_CHROMA + Math.max(0, DARK_LIGHTNESS - lightness) + Math.max(0, lightness - LIGHT_LIGHTNESS) * 0.5;
  if (chroma < neutralBelow) return lightness < 22 ? 'black' : lightness >= LIGHT_LIGHTNESS ? 'white' : 'grey';
  // Hue angles in Lab: red ~40, orange ~70, yellow ~100, green ~136, cyan ~196, blue ~306, purple/magenta ~328.
  if (hue >= 20 && hue < 48) return lightness < 40 && chroma < 40 ? 'brown' : 'red';
  if (hue >= 48 && hue < 85) return lightness < 55 || (chroma < 35 && lightness < 80) ? 'brown' : 'orange';
  if (hue >= 85 && hue < 110) return lightness < 65 ? 'brown' : 'yellow';
  if (hue >= 110 && hue < 175) return 'green';
  if (hue >= 175 && hue < 225) return 'teal';
  if (hue >= 225 && hue < 310) return 'blue';
  if (hue >= 310 && hue < 335) return lightness > 60 ? 'pink' : 'purple';
  return lightness >= 45 ? 'pink' : 'red';
}

function lumaOf({ data, width, height }: RgbPixels): Float64Array {
  const luma = new Float64Array(width * height);
  for (let i = 0; i < luma.length; i += 1) luma[i] = 0.299 * data[i * 3] + 0.587 * data[i * 3 + 1] + 0.114 * data[i * 3 + 2];
  return luma;
}

// Farthest-point seeding from the mean colour: deterministic, so the same image always gives the same colours.
function initialCentres(points: [number, number, number][], k: number): [number, number, number][] {
  const mean = points.reduce((acc, p) => [acc[0] + p[0], acc[1] + p[1], acc[2] + p[2]], [0, 0, 0]).map((v) => v / points.length);
  const centres: [number, number, number][] = [points[nearestIndex(mean as [number, number, number], points)]];
  const distances = points.map((point) => distance2(point, centres[0]));
  while (centres.length < k) {
    let farthest = 0;
    for (let i = 1; i < distances.length; i += 1) if (distances[i] > distances[farthest]) farthest = i;
    if (distances[farthest] === 0) break;
    centres.push(points[farthest]);
    points.forEach((point, index) => {
      distances[index] = Math.min(distances[index], distance2(point, points[farthest]));
    });
  }
  return centres.map((centre) => [...centre] as [number, number, number]);
}

function nearestIndex(point: [number, number, number], centres: [number, number, number][]): number {
  return nearestCentre(point[0], point[1], point[2], centres);
}

// The inner loop of the clustering (every sampled pixel × every centre × 10 rounds, then every pixel once): plain
// numbers and a for loop, no tuple per pixel, so a DetectLabels call with image properties spends ~3 ms here, not ~10.
function nearestCentre(red: number, green: number, blue: number, centres: [number, number, number][]): number {
  let best = 0;
  let bestDistance = Infinity;
  for (let index = 0; index < centres.length; index += 1) {
    const centre = centres[index];
    const distance = (red - centre[0]) ** 2 + (green - centre[1]) ** 2 + (blue - centre[2]) ** 2;
    if (distance < bestDistance) {
      best = index;
      bestDistance = distance;
    }
  }
  return best;
}

function distance2(a: [number, number, number], b: [number, number, number]): number {
  return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
