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
 * A valid 8-bit greyscale PNG of all-zero pixels, deflated as a stream so a 30000x30000 (900 MB of
 * pixels) image costs a few MB and well under a second to build.
 */
export async function pngOfZeros(width: number, height: number): Promise<Buffer> {
  const deflate = createDeflate({ level: constants.Z_BEST_SPEED });
  const parts: Buffer[] = [];
  deflate.on('data', (part: Buffer) => parts.push(part));
  const ended = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  const rowBytes = width + 1; // filter byte + one byte per pixel
  const rowsPerBlock = Math.max(1, Math.floor(16_000_000 / rowBytes));
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
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header),
    pngChunk('IDAT', Buffer.concat(parts)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A real JPEG whose SOF0 header is rewritten to claim another size (the scan data stays small). */
export async function jpegClaiming(width: number, height: number): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#336699' } })
    .jpeg({ quality: 80 })
    .toBuffer();
  for (let offset = 2; offset < jpeg.length - 9; offset++) {
    if (jpeg[offset] === 0xff && jpeg[offset + 1] === 0xc0) {
      jpeg.writeUInt16BE(height, offset + 5);
      jpeg.writeUInt16BE(width, offset + 7);
      return jpeg;
    }
  }
  throw new Error('no SOF0 marker found');
}

/** A JPEG carrying camera EXIF and a GPS position (written by libvips from tag strings). */
export async function jpegWithGps(width = 640, height = 480): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#4a8' } })
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: { Make: 'Acme', Model: 'Pocket 1' },
      IFD2: { DateTimeOriginal: '2021:06:01 10:00:00' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 30/1' },
    })
    .toBuffer();
}
