// The pixel maths lives in packages/contracts, shared with ResizeImage (which computes the same in the cloud).
export {
  cssColorName,
  dominantColors,
  qualityOf,
  simplifiedColor,
  toImageProperties,
  type ImageQuality,
  type RgbPixels,
} from '@smart-image-pipeline/contracts';
