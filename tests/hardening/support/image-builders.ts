import { constants, createDeflate, crc32 } from 'node:zlib';
import sharp from 'sharp';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * A valid 8-bit greyscale PNG of zero pixels (a decompression bomb). The rows are deflated as a stream from
 * one reused block, so a 30000x30000 image (900 MB of pixels) costs a few MB and never 900 MB of RAM.
 */
export async function pngBomb(width: number, height: number): Promise<Buffer> {
  const deflate = createDeflate({ level: constants.Z_BEST_SPEED });
  const parts: Buffer[] = [];
  deflate.on('data', (part: Buffer) => parts.push(part));
  const ended = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  const rowBytes = width + 1; // filter byte + one byte per pixel
  const rowsPerBlock = Math.max(1, Math.floor(8_000_000 / rowBytes));
  const block = Buffer.alloc(rowsPerBlock * rowBytes);
  for (let row = 0; row < height; row += rowsPerBlock) {
    const rows = Math.min(rowsPerBlock, height - row);
    if (!deflate.write(block.subarray(0, rows * rowBytes))) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await ended;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', header), pngChunk('IDAT', Buffer.concat(parts)), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A small real JPEG whose SOF0 header is patched to claim another size; the scan data stays 64x64. */
export async function jpegClaimingSize(width: number, height: number): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#336699' } }).jpeg({ quality: 80 }).toBuffer();
  for (let offset = 2; offset < jpeg.length - 9; offset += 1) {
    if (jpeg[offset] === 0xff && jpeg[offset + 1] === 0xc0) {
      jpeg.writeUInt16BE(height, offset + 5);
      jpeg.writeUInt16BE(width, offset + 7);
      return jpeg;
    }
  }
  throw new Error('no SOF0 marker in the JPEG sharp wrote');
}

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
  const still = await sharp({ create: { width: side, height: side, channels: 3, background: '#c04040' } }).gif().toBuffer();
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

/** A JPEG carrying camera EXIF and a GPS position. */
export async function jpegWithGps(width = 640, height = 480): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#44aa88' } })
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: { Make: 'Acme', Model: 'Pocket 1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 30/1' },
    })
    .toBuffer();
}

/** A 48 MP JPEG (8000x6000), upscaled from a real photo. */
export async function jpeg48Megapixels(photo: Buffer): Promise<Buffer> {
  return sharp(photo).resize(8000, 6000, { fit: 'fill' }).jpeg({ quality: 80 }).toBuffer();
}
