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

/** The nearest CSS colour name, by distance in RGB weighted for the eye. */
export function cssColorName(red: number, green: number, blue: number): string {
  let best = CSS_COLORS[0][0];
  let bestDistance = Infinity;
  for (const [name, r, g, b] of CSS_COLORS) {
    const distance = 2 * (r - red) ** 2 + 4 * (g - green) ** 2 + 3 * (b - blue) ** 2;
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

/** One of a dozen plain colour words, from hue, saturation and lightness. */
export function simplifiedColor(red: number, green: number, blue: number): string {
  const [hue, saturation, lightness] = toHsl(red, green, blue);
  if (lightness < 0.12) return 'black';
  if (lightness > 0.92) return 'white';
  if (saturation < 0.15) return lightness < 0.3 ? 'black' : lightness > 0.8 ? 'white' : 'grey';
  if (hue < 15 || hue >= 345) return lightness > 0.75 ? 'pink' : 'red';
  if (hue < 45) return lightness < 0.45 ? 'brown' : 'orange';
  if (hue < 70) return lightness < 0.35 ? 'brown' : 'yellow';
  if (hue < 165) return 'green';
  if (hue < 195) return 'teal';
  if (hue < 260) return 'blue';
  if (hue < 300) return 'purple';
  return 'pink';
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

function toHsl(red: number, green: number, blue: number): [number, number, number] {
  const r = red / 255;
  const g = green / 255;
  const b = blue / 255;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const lightness = (max + min) / 2;
  if (max === min) return [0, 0, lightness];
  const delta = max - min;
  const saturation = lightness > 0.5 ? delta / (2 - max - min) : delta / (max + min);
  let hue = max === r ? (g - b) / delta + (g < b ? 6 : 0) : max === g ? (b - r) / delta + 2 : (r - g) / delta + 4;
  hue *= 60;
  return [hue, saturation, lightness];
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
