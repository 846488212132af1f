/**
 * Hostile videos through the real ProbeVideo handler (issue 14), with S3 answered in memory: each is refused from its
 * header with a named error and a reason, after a bounded number of ranged reads and bytes, and nothing is written or
 * deleted (the upload stays as it was; RecordFailure records the error). Clips are made by ffmpeg at test time.
 */
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { Readable } from 'node:stream';
import { clipBytes } from '../../support/video-clips';
import { recordFigures } from '../support/figures';

jest.setTimeout(300_000);

const s3 = mockClient(S3Client);
const UPLOADS = 'sip-uploads-123456789012-us-east-1-abcd1234';
/** A header attack must be refused after reading at most this much (the probe's whole budget is 32 MiB). */
const MAX_BYTES_READ = 256 * 1024;

type Handler = (event: unknown) => Promise<unknown>;
let handler: Handler;

beforeAll(() => {
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    PROCESSED_BUCKET_NAME: 'sip-processed-123456789012',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  handler = (require('../../../functions/probe-video/src/handler') as { handler: Handler }).handler;
});

afterAll(() => s3.restore());

/** Serves `body` as the upload (HeadObject reports `declaredSize` when given) and counts what the probe fetched. */
function serve(body: Buffer, declaredSize = body.length): { reads: number; bytes: number } {
  const counts = { reads: 0, bytes: 0 };
  s3.reset();
  s3.on(HeadObjectCommand).resolves({ ContentLength: declaredSize });
  s3.on(GetObjectCommand).callsFake(async (input) => {
    const [, from, to] = /^bytes=(\d+)-(\d+)$/.exec(input.Range ?? '') ?? [];
    const slice = body.subarray(Number(from ?? 0), to === undefined ? undefined : Number(to) + 1);
    counts.reads += 1;
    counts.bytes += slice.length;
    return { Body: Object.assign(Readable.from([slice]), { transformToByteArray: async () => new Uint8Array(slice) }) as never };
  });
  return counts;
}

const patch = (bytes: Buffer, type: string, fieldOffset: number, value: number): Buffer => {
  const copy = Buffer.from(bytes);
  copy.writeUInt32BE(value, copy.indexOf(Buffer.from(type, 'latin1')) + 4 + fieldOffset);
  return copy;
};

/** The hostile corpus: name, bytes (and a declared size), the error expected and words its reason must contain. */
async function corpus(): Promise<Array<{ name: string; body: Buffer; declaredSize?: number; error: string; reason: RegExp }>> {
  const clip = await clipBytes({ seconds: 3 });
  const mvhd = clip.indexOf(Buffer.from('mvhd'));
  const timescale = clip.readUInt32BE(mvhd + 4 + 12);
  const garbage = Buffer.concat([clip.subarray(0, 32), Buffer.from(Array.from({ length: 4096 }, (_v, i) => (i * 7919) % 251))]);
  const hugeMoov = Buffer.from(clip);
  hugeMoov.writeUInt32BE(3_000_000_000, hugeMoov.indexOf(Buffer.from('moov')) - 4);
  const noMoov = Buffer.from(clip);
  noMoov.write('free', noMoov.indexOf(Buffer.from('moov')), 'latin1');
  return [
    {
      name: 'truncated MP4 (60 %)',
      body: clip.subarray(0, Math.floor(clip.length * 0.6)),
      error: 'CorruptVideoError',
      reason: /truncated/,
    },
    { name: 'MP4 with no index (moov renamed)', body: noMoov, error: 'CorruptVideoError', reason: /moov/ },
    { name: 'ftyp then 4 KB of noise', body: garbage, error: 'CorruptVideoError', reason: /./ },
    {
      name: 'audio only (no video stream)',
      body: await clipBytes({ seconds: 2, audioOnly: true }),
      error: 'NoVideoStreamError',
      reason: /video/,
    },
    { name: '10-hour header', body: patch(clip, 'mvhd', 16, timescale * 36_000), error: 'VideoTooLongError', reason: /10 h/ },
    {
      name: 'zip bomb: stsz declares 4e9 samples',
      body: patch(clip, 'stsz', 8, 4_000_000_000),
      error: 'CorruptVideoError',
      reason: /4000000000/,
    },
    {
      name: 'zip bomb: stco declares 4e9 chunks',
      body: patch(clip, 'stco', 4, 4_000_000_000),
      error: 'CorruptVideoError',
      reason: /4000000000/,
    },
    {
      name: 'zip bomb: stts declares 4e9 entries',
      body: patch(clip, 'stts', 4, 4_000_000_000),
      error: 'CorruptVideoError',
      reason: /4000000000/,
    },
    { name: 'moov box declaring 3 GB', body: hugeMoov, error: 'CorruptVideoError', reason: /./ },
    { name: '3 GiB upload (by HeadObject)', body: clip, declaredSize: 3 * 1024 ** 3, error: 'VideoTooLargeError', reason: /bytes/ },
    {
      name: 'truncated WebM (first 2,000 bytes)',
      body: (await clipBytes({ seconds: 3, container: 'webm' })).subarray(0, 2000),
      error: 'CorruptVideoError',
      reason: /./,
    },
  ];
}

describe('hostile videos through ProbeVideo', () => {
  it('refuses each from its header with a named error and a reason, reading little, writing and deleting nothing', async () => {
    // Prepare
    const cases = await corpus();
    const figures: Record<string, { error: string; reads: number; bytesRead: number; ms: number }> = {};

    for (const hostile of cases) {
      const original = Buffer.from(hostile.body);
      const counts = serve(hostile.body, hostile.declaredSize);
      const started = performance.now();

      // Act
      const outcome = await handler({
        imageId: '5f0c3b9a7d2e4c1f8a6b0d9e3c7f1a2b',
        revision: '9a1b2c3d4e5f6a7b',
        source: { bucket: UPLOADS, key: 'uploads/hostile.mp4', versionId: null, sourceOrder: '00000000000000000055AED6DCD90281' },
        executionArn:
          'arn:aws:states:us-east-1:123456789012:execution:smart-image-pipeline-image-pipeline:img-5f0c3b9a7d2e4c1f8a6b0d9e3c7f1a2b-9a1b2c3d4e5f6a7b',
      }).then(
        () => ({ name: 'accepted', message: '' }),
        (error: Error) => ({ name: error.name, message: error.message }),
      );
      figures[hostile.name] = {
        error: outcome.name,
        reads: counts.reads,
        bytesRead: counts.bytes,
        ms: Math.round(performance.now() - started),
      };

      // Assess
      expect({ case: hostile.name, error: outcome.name }).toEqual({ case: hostile.name, error: hostile.error });
      expect(outcome.message).toMatch(hostile.reason);
      expect(counts.bytes).toBeLessThanOrEqual(MAX_BYTES_READ);
      expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
      expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
      expect(hostile.body.equals(original)).toBe(true);
    }
    recordFigures('hostile-video', figures);
  });
});
