import { perceptualHashBands } from '@smart-image-pipeline/contracts';

const HASH = /^[0-9a-f]{16}$/;

/** The four 16-bit bands (4 hex each) of a 64-bit perceptual hash, as the table indexes them; none for a malformed hash. */
export function hashBands(hash: string): string[] {
  return HASH.test(hash) ? perceptualHashBands(hash) : [];
}

/** The number of differing bits between two 16-hex hashes. @throws TypeError when either is not 16 hex. */
export function hammingDistance(a: string, b: string): number {
  if (!HASH.test(a) || !HASH.test(b)) throw new TypeError('perceptual hashes must be 16 lowercase hex');
  let diff = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let count = 0;
  while (diff > 0n) {
    count += Number(diff & 1n);
    diff >>= 1n;
  }
  return count;
}
