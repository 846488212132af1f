import { perceptualHashBands } from '@smart-image-pipeline/contracts';

const HASH = /^[0-9a-f]{16}$/;

/** The four 16-bit bands (4 hex each) of a 64-bit perceptual hash, as the table indexes them; none for a malformed hash. */
export function hashBands(hash: string): string[] {
  return HASH.test(hash) ? perceptualHashBands(hash) : [];
}

export { hammingDistance } from '@smart-image-pipeline/contracts';
