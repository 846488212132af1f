import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_VIDEO_LIMITS, probeVideoOutputSchema } from '@smart-image-pipeline/contracts';
import { clipBytes, type ClipRecipe } from '../../../../tests/support/video-clips';
import { parseProbeInput } from '../../src/parse-input';
import { planVideo } from '../../src/plan';
import { probeVideo } from '../../src/probe';
import type { RangeSource } from '../../src/range-reader';

jest.setTimeout(120_000);

const event = JSON.parse(readFileSync(join(__dirname, '../../../../events/probe-video/mp4-upload.json'), 'utf8'));

/** The bytes as ranged reads, counting what the probe asked for. */
function source(bytes: Buffer): RangeSource & { reads: number } {
  const counted = {
    size: bytes.length,
    reads: 0,
    read: async (offset: number, length: number) => {
      counted.reads += 1;
      return bytes.subarray(offset, offset + length);
    },
  };
  return counted;
}

const probe = async (bytes: Buffer, limits = DEFAULT_VIDEO_LIMITS) => probeVideo(source(bytes), limits);

/** Rewrites a big-endian u32 of the first box of `type` at `fieldOffset` bytes after its type field. */
function patchBox(bytes: Buffer, type: string, fieldOffset: number, value: number): Buffer {
  const copy = Buffer.from(bytes);
  const at = copy.indexOf(Buffer.from(type, 'latin1'));
  copy.writeUInt32BE(value, at + 4 + fieldOffset);
  return copy;
}

describe('probeVideo on accepted videos', () => {
  it.each<[string, ClipRecipe, object]>([
    ['MP4/H.264', { seconds: 3 }, { container: 'mp4', videoCodec: 'h264', width: 320, height: 240, frameRate: 25, audioCodec: null }],
    ['MOV/H.264 with AAC', { seconds: 3, container: 'mov', audio: true }, { container: 'mov', videoCodec: 'h264', audioCodec: 'aac' }],
    ['WebM/VP9 with Opus', { seconds: 3, container: 'webm', audio: true }, { container: 'webm', videoCodec: 'vp9', audioCodec: 'opus' }],
    ['WebM/VP8', { seconds: 2, container: 'webm', codec: 'vp8' }, { container: 'webm', videoCodec: 'vp8' }],
    ['MKV/H.264', { seconds: 2, container: 'mkv' }, { container: 'matroska', videoCodec: 'h264' }],
    ['MP4/HEVC', { seconds: 2, codec: 'hevc' }, { container: 'mp4', videoCodec: 'hevc' }],
  ])('reads %s from its header', async (_name, recipe, expected) => {
    // Act
    const facts = await probe(await clipBytes(recipe));

    // Assess
    expect(facts).toMatchObject(expected);
    expect(facts.durationSeconds).toBeCloseTo(recipe.seconds, 0);
    expect(facts.headerBytesRead).toBeLessThan(64 * 1024);
  });

  it('reports a rotated phone video upright (display size) with its rotation', async () => {
    // Act
    const facts = await probe(await clipBytes({ seconds: 2, width: 640, height: 360, rotate: 90 }));

    // Assess
    expect(facts).toMatchObject({ width: 360, height: 640, rotation: 90 });
  });

  it('plans a contract-shaped job: a <= 720p rendition, poster and thumbnails, and a clip only past the analysis bound', async () => {
    // Prepare
    const facts = await probe(await clipBytes({ seconds: 3 }));
    const input = parseProbeInput(event);

    // Act
    const short = planVideo(
      input,
      { ...facts, width: 1920, height: 1080 },
      { processedBucketName: 'processed', maxAnalysisMinutes: 10, hlsEnabled: true },
    );
    const long = planVideo(
      input,
      { ...facts, durationSeconds: 1800 },
      { processedBucketName: 'processed', maxAnalysisMinutes: 10, hlsEnabled: false },
    );

    // Assess
    expect(probeVideoOutputSchema.parse({ facts, plan: short }).plan.outputs).toMatchObject({
      renditionWidth: 1280,
      renditionHeight: 720,
      hlsKey: expect.stringMatching(/video\/hls\/index\.m3u8$/),
    });
    expect(short.analysisClip).toBeNull();
    expect(short.analysis).toMatchObject({ key: short.outputs.renditionKey, clipped: false });
    expect(long.analysis).toMatchObject({ seconds: 600, clipped: true, key: expect.stringMatching(/video\/analysis\.mp4$/) });
    expect(JSON.stringify(long.analysisClip)).toContain('"EndTimecode":"00:10:00:00"');
    expect(long.thumbnails).toMatchObject({ intervalSeconds: 30, count: 60, columns: 10 });
  });
});

describe('probeVideo refuses, from the header, before any paid call', () => {
  it('refuses a truncated MP4 (the last box runs past the end)', async () => {
    // Prepare
    const bytes = await clipBytes({ seconds: 3 });

    // Act / Assess
    await expect(probe(bytes.subarray(0, Math.floor(bytes.length * 0.6)))).rejects.toMatchObject({
      name: 'CorruptVideoError',
      message: expect.stringMatching(/truncated/),
    });
  });

  it('refuses an MP4 whose index was never written (no moov)', async () => {
    // Prepare: ftyp followed by random bytes in an mdat box.
    const bytes = await clipBytes({ seconds: 3 });
    const withoutMoov = Buffer.from(bytes);
    withoutMoov.write('free', withoutMoov.indexOf(Buffer.from('moov')), 'latin1');

    // Act / Assess
    await expect(probe(withoutMoov)).rejects.toMatchObject({ name: 'CorruptVideoError', message: expect.stringMatching(/no moov/) });
  });

  it('refuses a file with no video stream', async () => {
    // Act / Assess
    await expect(probe(await clipBytes({ seconds: 2, audioOnly: true, container: 'mp4' }))).rejects.toMatchObject({
      name: 'NoVideoStreamError',
    });
  });

  it('refuses a 10-hour video from its declared duration', async () => {
    // Prepare: mvhd and mdhd durations (version 0: timescale at +12, duration at +16 after the type) patched to 10 h.
    const bytes = await clipBytes({ seconds: 3 });
    const mvhd = bytes.indexOf(Buffer.from('mvhd'));
    const timescale = bytes.readUInt32BE(mvhd + 4 + 12);
    const tenHours = patchBox(bytes, 'mvhd', 16, timescale * 36_000);

    // Act / Assess
    await expect(probe(tenHours)).rejects.toMatchObject({ name: 'VideoTooLongError', message: expect.stringMatching(/10 h/) });
  });

  it('refuses a zip bomb in MP4 clothing: a sample table declaring billions of entries in a few bytes', async () => {
    // Prepare: stsz sample_count (after version/flags and sample_size) set to 4 billion.
    const bomb = patchBox(await clipBytes({ seconds: 3 }), 'stsz', 8, 4_000_000_000);
    const counted = source(bomb);

    // Act / Assess
    await expect(probeVideo(counted, DEFAULT_VIDEO_LIMITS)).rejects.toMatchObject({
      name: 'CorruptVideoError',
      message: expect.stringMatching(/declares 4000000000/),
    });
    expect(counted.reads).toBeLessThan(10);
  });

  it('refuses a box declaring more bytes than the file has, without reading them', async () => {
    // Prepare: the moov box claims 3 GB.
    const bytes = await clipBytes({ seconds: 3 });
    const huge = Buffer.from(bytes);
    huge.writeUInt32BE(3_000_000_000, huge.indexOf(Buffer.from('moov')) - 4);

    // Act / Assess
    await expect(probe(huge)).rejects.toMatchObject({ name: 'CorruptVideoError' });
  });

  it('refuses a file over the byte limit before reading anything', async () => {
    // Prepare
    const counted = source(await clipBytes({ seconds: 2 }));

    // Act / Assess
    await expect(probeVideo(counted, { ...DEFAULT_VIDEO_LIMITS, maxBytes: 1000 })).rejects.toMatchObject({ name: 'VideoTooLargeError' });
    expect(counted.reads).toBe(0);
  });

  it('refuses frames over the pixel limit and AVI by name', async () => {
    // Act / Assess
    await expect(
      probe(await clipBytes({ seconds: 1, width: 640, height: 480 }), { ...DEFAULT_VIDEO_LIMITS, maxPixels: 100_000 }),
    ).rejects.toMatchObject({ name: 'VideoTooLargeError' });
    await expect(probe(await clipBytes({ seconds: 1, container: 'avi', codec: 'mpeg4' }))).rejects.toMatchObject({
      name: 'UnsupportedVideoFormatError',
      message: expect.stringMatching(/AVI/),
    });
  });

  it('refuses a truncated WebM', async () => {
    // Prepare
    const bytes = await clipBytes({ seconds: 3, container: 'webm' });

    // Act / Assess
    await expect(probe(bytes.subarray(0, bytes.length - 5000))).rejects.toMatchObject({ name: 'CorruptVideoError' });
  });
});
