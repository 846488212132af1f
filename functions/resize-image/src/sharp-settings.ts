import sharp from 'sharp';

/**
 * Tunes libvips for one image at a time in a 2-vCPU Lambda: no operation cache (every image is new, so
 * the cache only holds memory) and two worker threads per pipeline, matching the vCPUs. The outputs of
 * one image are encoded in parallel on libuv's pool, so more threads would only oversubscribe the CPU.
 */
export function configureSharpForLambda(): void {
  sharp.cache(false);
  sharp.concurrency(2);
}
