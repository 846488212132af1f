import sharp from 'sharp';

// The bomb, the lying JPEG header and the GPS JPEG are the resize tests' own builders; one copy serves both suites.
export {
  pngOfZeros as pngBomb,
  jpegClaiming as jpegClaimingSize,
  jpegWithGps,
} from '../../../functions/resize-image/tests/unit/helpers/hostile-images';

/** Byte length of a run of GIF data sub-blocks starting at offset, including the 0 terminator. */
function subBlocksLength(gif: Buffer, offset: number): number {
  let at = offset;
  while (gif[at] !== 0) at += gif[at] + 1;
  return at + 1 - offset;
}

/**
 * An animated GIF with `frames` frames, built by repeating the one image block of a small static GIF that
 * sharp writes, each behind its own Graphic Control Extension: thousands of frames cost a few hundred KB.
 */
export async function animatedGif(frames: number, side = 48): Promise<Buffer> {
  const still = await sharp({ create: { width: side, height: side, channels: 3, background: '#c04040' } })
    .gif()
    .toBuffer();
  const packed = still[10];
  let at = 13 + (packed & 0x80 ? 3 * 2 ** ((packed & 0x07) + 1) : 0);
  let image: Buffer | undefined;
  while (at < still.length && still[at] !== 0x3b) {
    if (still[at] === 0x21) {
      at += 2 + subBlocksLength(still, at + 2); // extension: introducer, label, sub-blocks
    } else if (still[at] === 0x2c) {
      const localTable = still[at + 9] & 0x80 ? 3 * 2 ** ((still[at + 9] & 0x07) + 1) : 0;
      const dataStart = at + 10 + localTable + 1; // descriptor, local colour table, LZW minimum code size
      const end = dataStart + subBlocksLength(still, dataStart);
      image = still.subarray(at, end);
      at = end;
    } else {
      throw new Error(`unexpected GIF block 0x${still[at].toString(16)}`);
    }
  }
  if (!image) throw new Error('no image block in the GIF sharp wrote');
  const loop = Buffer.from([0x21, 0xff, 0x0b, ...Buffer.from('NETSCAPE2.0', 'latin1'), 0x03, 0x01, 0x00, 0x00, 0x00]);
  const control = Buffer.from([0x21, 0xf9, 0x04, 0x04, 0x02, 0x00, 0x00, 0x00]); // 20 ms per frame, no disposal
  const frame = Buffer.concat([control, image]);
  const head = still.subarray(0, 13 + (packed & 0x80 ? 3 * 2 ** ((packed & 0x07) + 1) : 0));
  return Buffer.concat([head, loop, ...Array.from({ length: frames }, () => frame), Buffer.from([0x3b])]);
}

/** A 48 MP JPEG (8000x6000), upscaled from a real photo. */
export async function jpeg48Megapixels(photo: Buffer): Promise<Buffer> {
  return sharp(photo).resize(8000, 6000, { fit: 'fill' }).jpeg({ quality: 80 }).toBuffer();
}
