import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { fixture, hostileCorpus, SVG_WITH_FILE_ENTITY, svgWithNetworkImage, type CorpusFile } from '../support/hostile-corpus';
import { resizeOnce, UPLOADS_BUCKET, type ResizeOutcome } from '../support/resize-harness';

/** ResizeImageFunction's Timeout in template.yaml: no file may keep the core busy longer. */
const FUNCTION_TIMEOUT_MS = 120_000;

let listener: Server;
let origin: string;
const hits: string[] = [];

beforeAll(async () => {
  listener = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'image/png' }).end();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => listener.close(resolve));
});

/** Mean absolute difference per channel between two images scaled to the same small size. */
async function meanDifference(a: Buffer, b: Buffer): Promise<number> {
  const raw = (image: Buffer) => sharp(image).resize(64, 64, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  const [left, right] = await Promise.all([raw(a), raw(b)]);
  let sum = 0;
  for (let i = 0; i < left.length; i += 1) sum += Math.abs(left[i] - right[i]);
  return sum / left.length;
}

const describeOutcome = (outcome: ResizeOutcome): string =>
  outcome.kind === 'failed' ? `failed ${outcome.name}: ${outcome.message}` : outcome.kind;

describe('resize core with hostile and odd uploads', () => {
  const corpus = hostileCorpus('http://127.0.0.1:9');

  test.each(corpus.map((file) => [file.name, file] as const))(
    'ends %s in its expected final state',
    async (_name, file: CorpusFile) => {
      // Prepare
      const body = await file.build();

      // Act
      const outcome = await resizeOnce(body, {}, FUNCTION_TIMEOUT_MS);

      // Assess
      expect(outcome.kind).not.toBe('hang');
      if (file.expect.outcome === 'fails') {
        expect(file.expect.errors).toContain(outcome.kind === 'failed' ? outcome.name : describeOutcome(outcome));
        expect(outcome.store.puts).toEqual([]);
      } else {
        expect(describeOutcome(outcome)).toBe('succeeded');
      }
      expect(outcome.store.body.equals(body)).toBe(true);
    },
    FUNCTION_TIMEOUT_MS + 30_000,
  );

  test.each(corpus.filter((file) => file.expect.outcome === 'succeeds').map((file) => [file.name, file] as const))(
    'writes only decodable, metadata-free WebP/JPEG variants within 2048 px for %s',
    async (_name, file: CorpusFile) => {
      // Prepare
      const body = await file.build();

      // Act
      const outcome = await resizeOnce(body);

      // Assess
      if (outcome.kind !== 'succeeded') throw new Error(describeOutcome(outcome));
      expect(outcome.output.variants.length).toBeGreaterThanOrEqual(2);
      for (const put of outcome.store.puts) {
        const meta = await sharp(put.body).metadata();
        expect(['webp', 'jpeg']).toContain(meta.format);
        expect(put.contentType).toBe(meta.format === 'webp' ? 'image/webp' : 'image/jpeg');
        expect([meta.exif, meta.xmp, meta.iptc, meta.orientation]).toEqual([undefined, undefined, undefined, undefined]);
        expect(meta.pages ?? 1).toBe(1);
        expect(put.body.includes('<script')).toBe(false);
      }
      for (const variant of outcome.output.variants) expect(Math.max(variant.width, variant.height)).toBeLessThanOrEqual(2048);
    },
    60_000,
  );

  test.each(['Portrait_6.jpg', 'Landscape_5.jpg'])('writes variants of %s that look like the upright original', async (name) => {
    // Prepare
    const original = fixture(name);
    const upright = await sharp(original).rotate().toBuffer();
    const asStored = await sharp(original).toBuffer();

    // Act
    const outcome = await resizeOnce(original);

    // Assess
    if (outcome.kind !== 'succeeded') throw new Error(describeOutcome(outcome));
    for (const put of outcome.store.puts) {
      const meta = await sharp(put.body).metadata();
      expect(Math.sign(meta.width! - meta.height!)).toBe(Math.sign(outcome.output.image.width - outcome.output.image.height));
      expect(await meanDifference(put.body, upright)).toBeLessThan(12);
      expect(await meanDifference(put.body, asStored)).toBeGreaterThan(await meanDifference(put.body, upright));
    }
  });

  test('reads only the first frame of a GIF with 5000 frames', async () => {
    // Prepare
    const gif = await corpus.find((file) => file.name === 'frames-5000.gif')!.build();

    // Act
    const outcome = await resizeOnce(gif);

    // Assess
    if (outcome.kind !== 'succeeded') throw new Error(describeOutcome(outcome));
    expect(outcome.output.image).toMatchObject({ pages: 5000, animated: true, width: 48, height: 48 });
    expect(gif.length).toBeLessThan(1024 * 1024);
  });
});

describe('resize core with SVG that reaches outside the file', () => {
  test.each([false, true])(
    'refuses both SVGs, never contacts the listener and never outputs /etc/passwd (ALLOW_SVG=%s)',
    async (allowSvg) => {
      // Prepare
      const files = [Buffer.from(SVG_WITH_FILE_ENTITY), Buffer.from(svgWithNetworkImage(origin))];

      // Act
      const outcomes = await Promise.all(files.map((body) => resizeOnce(body, { allowSvg })));

      // Assess
      for (const outcome of outcomes) {
        expect(outcome.kind === 'failed' && outcome.name).toBe('UnsupportedImageTypeError');
        expect(outcome.store.puts).toEqual([]);
        expect(outcome.kind === 'failed' && outcome.message).not.toMatch(/root:/);
      }
      expect(hits).toEqual([]);
    },
  );
});

describe('resize core after the hostile corpus', () => {
  test('gives a normal photo the same variants before and after every hostile file', async () => {
    // Prepare
    const photo = fixture('ai-face.jpg');
    const before = await resizeOnce(photo);
    for (const file of hostileCorpus(origin).filter((entry) => !entry.heavy)) await resizeOnce(await file.build());

    // Act
    const after = await resizeOnce(photo);

    // Assess
    if (before.kind !== 'succeeded' || after.kind !== 'succeeded')
      throw new Error(`${describeOutcome(before)} / ${describeOutcome(after)}`);
    expect(after.output).toEqual(before.output);
    // The encodes run concurrently, so the puts arrive in any order: compare them by key.
    const bodiesByKey = (puts: typeof before.store.puts) => Object.fromEntries(puts.map((put) => [put.key, put.body.toString('base64')]));
    expect(bodiesByKey(after.store.puts)).toEqual(bodiesByKey(before.store.puts));
    expect(after.output.analysisImage.bucket).toBe(UPLOADS_BUCKET);
    expect(hits).toEqual([]);
  }, 120_000);
});
