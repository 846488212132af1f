import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { repoPath } from './paths';

/** One generated benchmark input on disk. */
export interface BenchImage {
  name: string;
  path: string;
  source: string;
  width: number;
  height: number;
  megapixels: number;
  /** EXIF orientation kept from the source photo (1 when none). */
  orientation: number;
  bytes: number;
}

/** Real photos from tests/fixtures/images (see its README); Portrait_6 keeps EXIF orientation 6. */
export const SOURCE_PHOTOS = ['flowers.jpeg', 'group-1.jpg', 'background.jpg', 'Portrait_6.jpg'] as const;

/**
 * Upscales a real photo to about `megapixels` (same aspect ratio, Lanczos3, JPEG q92) and keeps its EXIF
 * orientation tag, so auto-orient does real work on the rotated ones.
 */
export async function makeUpscaled(dir: string, source: string, megapixels: number): Promise<BenchImage> {
  await mkdir(dir, { recursive: true });
  const file = repoPath('tests', 'fixtures', 'images', source);
  const meta = await sharp(file).metadata();
  const stored = { width: meta.width ?? 0, height: meta.height ?? 0 };
  const scale = Math.sqrt((megapixels * 1e6) / (stored.width * stored.height));
  const width = Math.round(stored.width * scale);
  const height = Math.round(stored.height * scale);
  const name = `${path.parse(source).name}-${megapixels}mp`;
  const out = path.join(dir, `${name}.jpg`);
  const info = await sharp(file, { limitInputPixels: false })
    .resize(width, height, { kernel: 'lanczos3', fit: 'fill' })
    .keepExif()
    .jpeg({ quality: 92 })
    .toFile(out);
  return {
    name,
    path: out,
    source,
    width,
    height,
    megapixels: Math.round(((width * height) / 1e6) * 10) / 10,
    orientation: meta.orientation ?? 1,
    bytes: info.size,
  };
}

/** Generates the resize inputs: each photo at each size, into dir (a temp dir the caller removes). */
export async function generateInputs(dir: string, photos: readonly string[], sizes: readonly number[]): Promise<BenchImage[]> {
  const images: BenchImage[] = [];
  for (const megapixels of sizes) {
    for (const photo of photos) images.push(await makeUpscaled(dir, photo, megapixels));
  }
  return images;
}
