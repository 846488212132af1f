import { MAX_PLAUSIBLE_FPS, type ContainerHeader, type ContainerTrack } from './container';
import { CorruptVideoError } from './errors';
import type { BudgetedReader } from './range-reader';

const ID = Object.freeze({
  ebml: 0x1a45dfa3,
  segment: 0x18538067,
  seekHead: 0x114d9b74,
  seek: 0x4dbb,
  seekId: 0x53ab,
  seekPosition: 0x53ac,
  info: 0x1549a966,
  timecodeScale: 0x2ad7b1,
  duration: 0x4489,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  trackType: 0x83,
  codecId: 0x86,
  defaultDuration: 0x23e383,
  video: 0xe0,
  pixelWidth: 0xb0,
  pixelHeight: 0xba,
  audio: 0xe1,
  samplingFrequency: 0xb5,
  channels: 0x9f,
  cluster: 0x1f43b675,
  clusterTimecode: 0xe7,
  simpleBlock: 0xa3,
  blockGroup: 0xa0,
  block: 0xa1,
});

/** Segment children walked at most before giving up (a real file has fewer than ten before its first Cluster). */
const MAX_SEGMENT_CHILDREN = 64;
/** Largest Info / Tracks / SeekHead element the probe reads. */
const MAX_META_BYTES = 1024 * 1024;
/** How much of the end of a file is read to find its duration when the header has none (browser recordings). */
const TAIL_BYTES = 2 * 1024 * 1024;

const VIDEO_CODECS: Record<string, string> = {
  'V_MPEG4/ISO/AVC': 'h264',
  'V_MPEGH/ISO/HEVC': 'hevc',
  V_VP8: 'vp8',
  V_VP9: 'vp9',
  V_AV1: 'av1',
  'V_MPEG4/ISO/ASP': 'mpeg4',
  'V_MPEG4/ISO/SP': 'mpeg4',
  'V_MPEG4/ISO/AP': 'mpeg4',
};
const AUDIO_CODECS: Record<string, string> = {
  A_OPUS: 'opus',
  A_VORBIS: 'vorbis',
  'A_MPEG/L3': 'mp3',
  A_AC3: 'ac3',
  A_EAC3: 'eac3',
  A_FLAC: 'flac',
};

interface Element {
  id: number;
  /** Where the data starts and its size (null: unknown size, as live recordings write). */
  dataStart: number;
  size: number | null;
}

/** Reads an element header (ID with its marker bits, then the size vint) at `offset` of `bytes`. */
function elementAt(bytes: Uint8Array, offset: number): Element | null {
  const first = bytes[offset];
  if (first === undefined || first < 0x10) return null;
  const idLength = Math.clz32(first) - 23;
  if (offset + idLength >= bytes.length) return null;
  let id = 0;
  for (let i = 0; i < idLength; i += 1) id = id * 256 + bytes[offset + i];
  const sizeAt = offset + idLength;
  const sizeFirst = bytes[sizeAt];
  if (sizeFirst === 0) return null;
  const sizeLength = Math.clz32(sizeFirst) - 23;
  if (sizeAt + sizeLength > bytes.length) return null;
  let size = sizeFirst & (0xff >> sizeLength);
  let allOnes = size === 0xff >> sizeLength;
  for (let i = 1; i < sizeLength; i += 1) {
    size = size * 256 + bytes[sizeAt + i];
    allOnes &&= bytes[sizeAt + i] === 0xff;
  }
  return { id, dataStart: sizeAt + sizeLength, size: allOnes ? null : size };
}

function* childrenOf(bytes: Uint8Array, start: number, end: number): Generator<Element> {
  let offset = start;
  while (offset < end) {
    const element = elementAt(bytes, offset);
    if (!element || element.size === null) return;
    if (element.dataStart + element.size > end)
      throw new CorruptVideoError(`A Matroska element (0x${element.id.toString(16)}) runs past its parent`);
    yield element;
    offset = element.dataStart + element.size;
  }
}

const uint = (bytes: Uint8Array, e: Element): number =>
  [...bytes.subarray(e.dataStart, e.dataStart + (e.size ?? 0))].reduce((v, b) => v * 256 + b, 0);
const float = (bytes: Uint8Array, e: Element): number => {
  const view = new DataView(bytes.buffer, bytes.byteOffset + e.dataStart, e.size ?? 0);
  return e.size === 4 ? view.getFloat32(0) : e.size === 8 ? view.getFloat64(0) : NaN;
};
const text = (bytes: Uint8Array, e: Element): string =>
  String.fromCharCode(...bytes.subarray(e.dataStart, e.dataStart + (e.size ?? 0))).replace(/\0+$/, '');

/**
 * Reads a WebM/Matroska header with ranged reads: the EBML header, then the Segment's children up to the first
 * Cluster (Info and Tracks, followed through the SeekHead when they come later). A duration missing from the header
 * (browser recordings) is taken from the last Cluster in the file's final 2 MiB.
 * @throws CorruptVideoError
 */
export async function readMatroskaHeader(reader: BudgetedReader): Promise<ContainerHeader> {
  const head = await reader.read(0, Math.min(reader.size, 4096), 'EBML header');
  const ebml = elementAt(head, 0);
  if (!ebml || ebml.id !== ID.ebml || ebml.size === null) throw new CorruptVideoError('The EBML header is malformed');
  const segment = elementAt(head, ebml.dataStart + ebml.size);
  if (!segment || segment.id !== ID.segment) throw new CorruptVideoError('The file has no Segment after its EBML header');
  const segmentEnd = segment.size === null ? reader.size : segment.dataStart + segment.size;
  if (segmentEnd > reader.size)
    throw new CorruptVideoError(
      `The Segment declares ${segmentEnd - segment.dataStart} bytes but the file ends at ${reader.size}: it is truncated`,
    );

  let info: Uint8Array | null = null;
  let tracks: Uint8Array | null = null;
  const seekPositions = new Map<number, number>();
  let offset = segment.dataStart;
  for (let count = 0; offset < segmentEnd && (!info || !tracks); count += 1) {
    if (count >= MAX_SEGMENT_CHILDREN) throw new CorruptVideoError(`More than ${MAX_SEGMENT_CHILDREN} Segment elements before the tracks`);
    const element = elementAt(await reader.read(offset, Math.min(12, reader.size - offset), 'element header'), 0);
    if (!element) throw new CorruptVideoError(`A malformed element at offset ${offset}`);
    const dataAt = offset + element.dataStart;
    if (element.id === ID.cluster) break;
    if (element.size === null)
      throw new CorruptVideoError(`An element of unknown size (0x${element.id.toString(16)}) before the first Cluster`);
    if (dataAt + element.size > segmentEnd)
      throw new CorruptVideoError(`An element at offset ${offset} runs past the end of the file: it is truncated`);
    if (element.id === ID.info || element.id === ID.tracks || element.id === ID.seekHead) {
      if (element.size > MAX_META_BYTES)
        throw new CorruptVideoError(`A ${element.size}-byte header element is larger than any real file's`);
      const data = await reader.read(dataAt, element.size, 'Matroska header element');
      if (element.id === ID.info) info = data;
      else if (element.id === ID.tracks) tracks = data;
      else readSeekHead(data, segment.dataStart, seekPositions);
    }
    offset = dataAt + element.size;
  }
  for (const [id, position] of seekPositions) {
    if ((id === ID.info && !info) || (id === ID.tracks && !tracks)) {
      const element = elementAt(await reader.read(position, Math.min(12, reader.size - position), 'element header'), 0);
      if (!element || element.id !== id || element.size === null || element.size > MAX_META_BYTES)
        throw new CorruptVideoError('The SeekHead points at a malformed element');
      const data = await reader.read(position + element.dataStart, element.size, 'Matroska header element');
      if (id === ID.info) info = data;
      else tracks = data;
    }
  }
  if (!tracks) throw new CorruptVideoError('The file has no Tracks element');

  let timecodeScale = 1_000_000;
  let durationSeconds: number | null = null;
  if (info) {
    for (const e of childrenOf(info, 0, info.length)) if (e.id === ID.timecodeScale) timecodeScale = uint(info, e) || timecodeScale;
    for (const e of childrenOf(info, 0, info.length)) {
      if (e.id === ID.duration) {
        const value = float(info, e);
        if (Number.isFinite(value) && value > 0) durationSeconds = (value * timecodeScale) / 1e9;
      }
    }
  }
  durationSeconds ??= await durationFromTail(reader, timecodeScale);
  return { durationSeconds, tracks: readTracks(tracks) };
}

function readSeekHead(data: Uint8Array, segmentStart: number, positions: Map<number, number>): void {
  for (const seek of childrenOf(data, 0, data.length)) {
    if (seek.id !== ID.seek || seek.size === null) continue;
    let id = 0;
    let position = -1;
    for (const e of childrenOf(data, seek.dataStart, seek.dataStart + seek.size)) {
      if (e.id === ID.seekId) id = uint(data, e);
      if (e.id === ID.seekPosition) position = uint(data, e);
    }
    if (id && position >= 0) positions.set(id, segmentStart + position);
  }
}

function readTracks(data: Uint8Array): ContainerTrack[] {
  const result: ContainerTrack[] = [];
  for (const entry of childrenOf(data, 0, data.length)) {
    if (entry.id !== ID.trackEntry || entry.size === null) continue;
    const end = entry.dataStart + entry.size;
    let type = 0;
    let codecId = '';
    let frameNs = 0;
    const track: Partial<ContainerTrack> = {};
    for (const e of childrenOf(data, entry.dataStart, end)) {
      if (e.id === ID.trackType) type = uint(data, e);
      else if (e.id === ID.codecId) codecId = text(data, e);
      else if (e.id === ID.defaultDuration) frameNs = uint(data, e);
      else if (e.id === ID.video && e.size !== null) {
        for (const v of childrenOf(data, e.dataStart, e.dataStart + e.size)) {
          if (v.id === ID.pixelWidth) track.width = uint(data, v);
          if (v.id === ID.pixelHeight) track.height = uint(data, v);
        }
      } else if (e.id === ID.audio && e.size !== null) {
        for (const a of childrenOf(data, e.dataStart, e.dataStart + e.size)) {
          if (a.id === ID.samplingFrequency) track.sampleRate = Math.round(float(data, a)) || undefined;
          if (a.id === ID.channels) track.channels = uint(data, a) || undefined;
        }
      }
    }
    const kind: ContainerTrack['kind'] = type === 1 ? 'video' : type === 2 ? 'audio' : 'other';
    const codec =
      kind === 'video'
        ? (VIDEO_CODECS[codecId] ?? null)
        : kind === 'audio'
          ? codecId.startsWith('A_AAC')
            ? 'aac'
            : codecId.startsWith('A_PCM')
              ? 'pcm'
              : (AUDIO_CODECS[codecId] ?? null)
          : null;
    const frameRate = frameNs > 0 ? 1e9 / frameNs : undefined;
    if (frameRate !== undefined && frameRate > MAX_PLAUSIBLE_FPS)
      throw new CorruptVideoError(`A track declares ${Math.round(frameRate)} frames per second`);
    result.push({ ...track, kind, codecId, codec, ...(frameRate ? { frameRate } : {}) });
  }
  return result;
}

/** The time of the last block in the file's last Cluster, or null when the tail holds none. */
async function durationFromTail(reader: BudgetedReader, timecodeScale: number): Promise<number | null> {
  const start = Math.max(0, reader.size - TAIL_BYTES);
  const tail = await reader.read(start, reader.size - start, 'end of the file');
  for (let at = tail.length - 4; at >= 0; at -= 1) {
    if (tail[at] !== 0x1f || tail[at + 1] !== 0x43 || tail[at + 2] !== 0xb6 || tail[at + 3] !== 0x75) continue;
    const cluster = elementAt(tail, at);
    if (!cluster) continue;
    const end = cluster.size === null ? tail.length : Math.min(tail.length, cluster.dataStart + cluster.size);
    let clusterTime: number | null = null;
    let lastBlock = 0;
    let offset = cluster.dataStart;
    while (offset < end) {
      const e = elementAt(tail, offset);
      if (!e || e.size === null || e.dataStart + e.size > end) break;
      if (e.id === ID.clusterTimecode) clusterTime = uint(tail, e);
      const block =
        e.id === ID.simpleBlock
          ? e
          : e.id === ID.blockGroup
            ? [...childrenOf(tail, e.dataStart, e.dataStart + e.size)].find((c) => c.id === ID.block)
            : undefined;
      if (block) {
        const trackLength = Math.clz32(tail[block.dataStart]) - 23;
        const relative = new DataView(tail.buffer, tail.byteOffset + block.dataStart + trackLength, 2).getInt16(0);
        lastBlock = Math.max(lastBlock, relative);
      }
      offset = e.dataStart + e.size;
    }
    if (clusterTime !== null) return ((clusterTime + lastBlock) * timecodeScale) / 1e9;
  }
  return null;
}
