/**
 * sRGB -> CIELAB (D65) and its polar form LCh. Colour names are chosen here rather than in RGB or HSL because
 * distances and chroma in Lab follow what the eye sees: HSL calls a dark slate grey (47,79,79) 25 % saturated, Lab
 * gives it a chroma of 12 (near-neutral), as Rekognition's own "grey" for that colour says.
 */

/** L* (0 black - 100 white), a* (green - red), b* (blue - yellow). */
export type Lab = readonly [lightness: number, a: number, b: number];

/** L*, C* (chroma: 0 for a grey, ~134 for sRGB blue) and h (hue angle in degrees, 0-360). */
export type Lch = readonly [lightness: number, chroma: number, hue: number];

const D65_X = 0.95047;
const D65_Z = 1.08883;

export function rgbToLab(red: number, green: number, blue: number): Lab {
  const r = toLinear(red);
  const g = toLinear(green);
  const b = toLinear(blue);
  const fx = labF((0.4124 * r + 0.3576 * g + 0.1805 * b) / D65_X);
  const fy = labF(0.2126 * r + 0.7152 * g + 0.0722 * b);
  const fz = labF((0.0193 * r + 0.1192 * g + 0.9505 * b) / D65_Z);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

export function rgbToLch(red: number, green: number, blue: number): Lch {
  const [lightness, a, b] = rgbToLab(red, green, blue);
  const hue = (Math.atan2(b, a) * 180) / Math.PI;
  return [lightness, Math.hypot(a, b), hue < 0 ? hue + 360 : hue];
}

function toLinear(channel: number): number {
  const value = channel / 255;
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}

function labF(t: number): number {
  return t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116;
}
