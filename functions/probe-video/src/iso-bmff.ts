import { MAX_PLAUSIBLE_FPS, type ContainerHeader, type ContainerTrack } from './container';
import { CorruptVideoError, UnsupportedVideoFormatError } from './errors';
import type { BudgetedReader } from './range-reader';

/** Top-level boxes a probe walks at most: a plain MP4/MOV has a handful (ftyp, moov, mdat, free). */
const MAX_TOP_LEVEL_BOXES = 32;
/** Boxes inside moov that the parser visits at most. */
const MAX_MOOV_BOXES = 4096;

const VIDEO_CODECS: Record<string, string> = {
  avc1: 'h264',
  avc3: 'h264',
  hvc1: 'hevc',
  hev1: 'hevc',
  mp4v: 'mpeg4',
  vp09: 'vp9',
  vp08: 'vp8',
  av01: 'av1',
};
const AUDIO_CODECS: Record<string, string> = {
  mp4a: 'aac',
  '.mp3': 'mp3',
  Opus: 'opus',
  'ac-3': 'ac3',
  'ec-3': 'eac3',
  sowt: 'pcm',
  twos: 'pcm',
  lpcm: 'pcm',
  alac: 'alac',
  fLaC: 'flac',
};

interface Box {
  type: string;
  /** Offset of the payload (after the header) and its end, in the buffer being parsed. */
  start: number;
  end: number;
}

const ascii = (bytes: Uint8Array, start: number, end: number): string => String.fromCharCode(...bytes.subarray(start, end));

class View {
  private readonly data: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u16 = (offset: number): number => this.data.getUint16(offset);
  u32 = (offset: number): number => this.data.getUint32(offset);
  i32 = (offset: number): number => this.data.getInt32(offset);
  u64 = (offset: number): number => this.data.getUint32(offset) * 2 ** 32 + this.data.getUint32(offset + 4);
}

/**
 * Reads an MP4/MOV (ISO-BMFF) header with ranged reads: walks the top-level boxes (16 bytes each) to the end, so a
 * truncated file is caught, reads `moov` whole (within the budget) and checks every sample table's declared entry
 * count against the bytes it occupies, the sample sizes against the file, and the frame count against the duration.
 * @throws CorruptVideoError, VideoTooLargeError, UnsupportedVideoFormatError
 */
export async function readIsoBmffHeader(reader: BudgetedReader): Promise<ContainerHeader> {
  let offset = 0;
  let moov: Uint8Array | null = null;
  for (let count = 0; offset < reader.size; count += 1) {
    if (count >= MAX_TOP_LEVEL_BOXES) throw new CorruptVideoError(`More than ${MAX_TOP_LEVEL_BOXES} top-level boxes: not a plain MP4/MOV`);
    const head = new View(await reader.read(offset, Math.min(16, reader.size - offset), 'box header'));
    if (head.bytes.length < 8) throw new CorruptVideoError(`A box header at offset ${offset} is cut off: the file is truncated`);
    const type = ascii(head.bytes, 4, 8);
    let size = head.u32(0);
    let headerSize = 8;
    if (size === 1) {
      if (head.bytes.length < 16) throw new CorruptVideoError(`The ${type} box at offset ${offset} has a cut-off 64-bit size`);
      size = head.u64(8);
      headerSize = 16;
    } else if (size === 0) {
      size = reader.size - offset;
    }
    if (size < headerSize)
      throw new CorruptVideoError(`The ${type} box at offset ${offset} declares ${size} bytes, less than its own header`);
    if (offset + size > reader.size) {
      throw new CorruptVideoError(
        `The ${type} box at offset ${offset} declares ${size} bytes but only ${reader.size - offset} remain: the file is truncated`,
      );
    }
    if (type === 'moov') {
      if (moov) throw new CorruptVideoError('The file has two moov boxes');
      moov = await reader.read(offset + headerSize, size - headerSize, 'moov index');
    } else if (type === 'moof' && moov) {
      throw new UnsupportedVideoFormatError(
        'Fragmented MP4 (moof fragments) is not accepted: its duration and frames are not in the header; re-mux it as a regular MP4',
      );
    }
    offset += size;
  }
  if (!moov) throw new CorruptVideoError('The file has no moov box (its index): it is truncated or was never finished');
  return parseMoov(new View(moov), reader.size);
}

function* children(view: View, start: number, end: number, budget: { boxes: number }): Generator<Box> {
  let offset = start;
  while (offset + 8 <= end) {
    budget.boxes -= 1;
    if (budget.boxes < 0) throw new CorruptVideoError(`The moov index holds more than ${MAX_MOOV_BOXES} boxes`);
    let size = view.u32(offset);
    const type = ascii(view.bytes, offset + 4, offset + 8);
    let headerSize = 8;
    if (size === 1) {
      if (offset + 16 > end) throw new CorruptVideoError(`The ${type} box in moov has a cut-off 64-bit size`);
      size = view.u64(offset + 8);
      headerSize = 16;
    } else if (size === 0) {
      size = end - offset;
    }
    if (size < headerSize || offset + size > end)
      throw new CorruptVideoError(`The ${type} box in moov declares ${size} bytes, beyond its parent`);
    yield { type, start: offset + headerSize, end: offset + size };
    offset += size;
  }
}

function find(view: View, parent: Box, type: string, budget: { boxes: number }): Box | undefined {
  for (const box of children(view, parent.start, parent.end, budget)) if (box.type === type) return box;
  return undefined;
}

/** A table box (version/flags, entry count, fixed-size entries) whose declared count must fit in its bytes. */
function tableCount(view: View, box: Box, entryBytes: number, countAt = 4): number {
  if (box.end - box.start < countAt + 4) throw new CorruptVideoError(`The ${box.type} table is cut off`);
  const entries = view.u32(box.start + countAt);
  const room = box.end - box.start - countAt - 4;
  if (entries * entryBytes > room) {
    throw new CorruptVideoError(
      `The ${box.type} table declares ${entries} entries of ${entryBytes} bytes in ${room} bytes: its index is inconsistent`,
    );
  }
  return entries;
}

function parseMoov(view: View, fileSize: number): ContainerHeader {
  const budget = { boxes: MAX_MOOV_BOXES };
  const root: Box = { type: 'moov', start: 0, end: view.bytes.length };
  const mvhd = find(view, root, 'mvhd', budget);
  let durationSeconds: number | null = null;
  if (mvhd) {
    const version = view.bytes[mvhd.start];
    const timescale = view.u32(mvhd.start + (version === 1 ? 20 : 12));
    const duration = version === 1 ? view.u64(mvhd.start + 24) : view.u32(mvhd.start + 16);
    if (timescale > 0 && duration > 0 && duration !== 0xffffffff) durationSeconds = duration / timescale;
  }
  const tracks: ContainerTrack[] = [];
  for (const trak of children(view, root.start, root.end, budget)) {
    if (trak.type !== 'trak') continue;
    tracks.push(parseTrak(view, trak, fileSize, budget));
  }
  if (durationSeconds === null) {
    const longest = Math.max(0, ...tracks.map((track) => track.durationSeconds ?? 0));
    durationSeconds = longest > 0 ? longest : null;
  }
  return { durationSeconds, tracks };
}

function parseTrak(view: View, trak: Box, fileSize: number, budget: { boxes: number }): ContainerTrack {
  const tkhd = find(view, trak, 'tkhd', budget);
  const mdia = find(view, trak, 'mdia', budget);
  if (!tkhd || !mdia) throw new CorruptVideoError('A track has no tkhd or mdia box');
  const hdlr = find(view, mdia, 'hdlr', budget);
  const mdhd = find(view, mdia, 'mdhd', budget);
  const stbl = ((minf) => (minf ? find(view, minf, 'stbl', budget) : undefined))(find(view, mdia, 'minf', budget));
  if (!hdlr || !mdhd || !stbl) throw new CorruptVideoError('A track has no hdlr, mdhd or sample table');
  const handler = ascii(view.bytes, hdlr.start + 8, hdlr.start + 12);
  const kind: ContainerTrack['kind'] = handler === 'vide' ? 'video' : handler === 'soun' ? 'audio' : 'other';

  const mdhdVersion = view.bytes[mdhd.start];
  const timescale = view.u32(mdhd.start + (mdhdVersion === 1 ? 20 : 12));
  const mediaDuration = mdhdVersion === 1 ? view.u64(mdhd.start + 24) : view.u32(mdhd.start + 16);
  const durationSeconds = timescale > 0 && mediaDuration > 0 && mediaDuration !== 0xffffffff ? mediaDuration / timescale : undefined;

  const stsd = find(view, stbl, 'stsd', budget);
  if (!stsd || stsd.end - stsd.start < 16) throw new CorruptVideoError('A track has no sample description');
  const codecId = ascii(view.bytes, stsd.start + 12, stsd.start + 16);
  const entry = stsd.start + 8;
  const track: ContainerTrack = {
    kind,
    codecId,
    codec: (kind === 'video' ? VIDEO_CODECS : kind === 'audio' ? AUDIO_CODECS : {})[codecId] ?? null,
    durationSeconds,
  };

  const samples = checkSampleTables(view, stbl, fileSize, budget);
  if (kind === 'video') {
    if (stsd.end - entry < 36) throw new CorruptVideoError('The video sample description is cut off');
    track.width = view.u16(entry + 32);
    track.height = view.u16(entry + 34);
    track.rotation = rotationOf(view, tkhd);
    if (durationSeconds && samples > 0) {
      track.frameRate = samples / durationSeconds;
      if (track.frameRate > MAX_PLAUSIBLE_FPS) {
        throw new CorruptVideoError(
          `The video track declares ${samples} frames in ${durationSeconds.toFixed(2)} s (${Math.round(track.frameRate)} per second): its index is inconsistent`,
        );
      }
    }
  } else if (kind === 'audio' && stsd.end - entry >= 36) {
    track.channels = view.u16(entry + 24) || undefined;
    track.sampleRate = view.u32(entry + 32) >>> 16 || undefined;
  }
  return track;
}

/** Checks stts/stsz/stco/co64/stsc/stss/ctts against their bytes and the file; returns the sample count. */
function checkSampleTables(view: View, stbl: Box, fileSize: number, budget: { boxes: number }): number {
  let timeToSample: number | null = null;
  let sizes: number | null = null;
  for (const box of children(view, stbl.start, stbl.end, budget)) {
    switch (box.type) {
      case 'stts': {
        const entries = tableCount(view, box, 8);
        let total = 0;
        for (let i = 0; i < entries; i += 1) total += view.u32(box.start + 8 + i * 8);
        timeToSample = total;
        break;
      }
      case 'stsz': {
        if (box.end - box.start < 12) throw new CorruptVideoError('The stsz table is cut off');
        const constant = view.u32(box.start + 4);
        const count = view.u32(box.start + 8);
        if (constant === 0) {
          const room = box.end - box.start - 12;
          if (count * 4 > room)
            throw new CorruptVideoError(`The stsz table declares ${count} sample sizes in ${room} bytes: its index is inconsistent`);
          let total = 0;
          for (let i = 0; i < count; i += 1) total += view.u32(box.start + 12 + i * 4);
          if (total > fileSize)
            throw new CorruptVideoError(`The stsz table's samples add up to ${total} bytes, more than the ${fileSize}-byte file`);
        } else if (constant * count > fileSize) {
          throw new CorruptVideoError(`The stsz table declares ${count} samples of ${constant} bytes, more than the ${fileSize}-byte file`);
        }
        sizes = count;
        break;
      }
      case 'stco':
      case 'co64': {
        const wide = box.type === 'co64';
        const entries = tableCount(view, box, wide ? 8 : 4);
        for (let i = 0; i < entries; i += 1) {
          const chunk = wide ? view.u64(box.start + 8 + i * 8) : view.u32(box.start + 8 + i * 4);
          if (chunk >= fileSize)
            throw new CorruptVideoError(`A chunk offset (${chunk}) points past the end of the ${fileSize}-byte file: it is truncated`);
        }
        break;
      }
      case 'stsc':
        tableCount(view, box, 12);
        break;
      case 'stss':
        tableCount(view, box, 4);
        break;
      case 'ctts':
        tableCount(view, box, 8);
        break;
      default:
        break;
    }
  }
  if (timeToSample !== null && sizes !== null && timeToSample !== sizes) {
    throw new CorruptVideoError(`The sample tables disagree: stts counts ${timeToSample} samples, stsz ${sizes}`);
  }
  return sizes ?? timeToSample ?? 0;
}

/** Reads the display rotation from tkhd's matrix (only 0/90/180/270 are meaningful for video). */
function rotationOf(view: View, tkhd: Box): 0 | 90 | 180 | 270 {
  const matrixAt = tkhd.start + (view.bytes[tkhd.start] === 1 ? 52 : 40);
  if (matrixAt + 16 > tkhd.end) return 0;
  const a = view.i32(matrixAt);
  const b = view.i32(matrixAt + 4);
  // The matrix turns counter-clockwise; players (and ffmpeg's "rotate" tag) state the clockwise turn.
  const degrees = (720 - Math.round((Math.atan2(b, a) * 180) / Math.PI)) % 360;
  return degrees === 90 || degrees === 180 || degrees === 270 ? degrees : 0;
}
