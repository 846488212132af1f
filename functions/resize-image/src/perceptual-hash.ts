/**
 * 64-bit difference hash (dHash) of a 9x8 greyscale image, as 16 lowercase hex characters.
 * Rows are read top to bottom, pixels left to right; bit i (most significant first) is 1 when a pixel
 * is brighter than its right-hand neighbour. Near-identical images differ in a few bits (Hamming distance).
 * @throws RangeError when the input is not 9x8 single-channel pixels.
 */
export function differenceHash(grey9x8: Uint8Array | Buffer): string {
  if (grey9x8.length !== 72) throw new RangeError(`dHash needs 72 grey pixels (9x8), got ${grey9x8.length}`);
  let hash = 0n;
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      const left = grey9x8[y * 9 + x];
      const right = grey9x8[y * 9 + x + 1];
      hash = (hash << 1n) | (left > right ? 1n : 0n);
    }
  }
  return hash.toString(16).padStart(16, '0');
}
