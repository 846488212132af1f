import sharp from 'sharp';

/**
 * Tunes libvips for one image at a time in a 2-vCPU Lambda: no operation cache (every image is new, so
 * the cache only holds memory) and one libvips thread per pipeline. The parallelism comes from encoding
 * all outputs of an image at once on libuv's pool; more threads per pipeline measured slower (oversubscribed).
 */
export function configureSharpForLambda(): void {
  sharp.cache(false);
  sharp.concurrency(1);
}
