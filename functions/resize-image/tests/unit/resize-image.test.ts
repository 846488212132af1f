import { randomBytes } from 'node:crypto';
import { resizeOutputSchema } from '@smart-image-pipeline/contracts';
import exifr from 'exifr';
import sharp from 'sharp';
import { resizeImage, VARIANT_CACHE_CONTROL } from '../../src/resize-image';
import type { ResizeOutput } from '../../src/types';
import { fixture, PROCESSED, settings, upload, UPLOADS } from './helpers/fixtures';
import { jpegClaiming, jpegWithGps, pngOfZeros } from './helpers/hostile-images';
import type { MemoryStore } from './helpers/memory-store';

const run = async (body: Buffer, overrides = {}, metadata: Record<string, string> = {}) => {
  const { store, input } = upload(body, { metadata });
  const output = await resizeImage(input, { store, settings: settings(overrides) });
  return { store, input, output };
};

/** GPS from any output format: sharp hands over the EXIF block ("Exif\0\0" + TIFF), which exifr reads as TIFF. */
const gpsOf = async (body: Buffer): Promise<{ latitude: number; longitude: number } | undefined> => {
  const { exif } = await sharp(body).metadata();
  return exif ? exifr.gps(exif.subarray(6)) : undefined;
};

const variantBodies = (store: MemoryStore, output: ResizeOutput): Buffer[] => output.variants.map((v) => store.put(PROCESSED, v.key)!.body);

describe('resizeImage with each supported format', () => {
  test.each([
    ['flowers.jpeg', 'jpeg', 1920, 1080],
    ['Channel_digital_image_CMYK_color_no_profile.jpg', 'jpeg', 500, 333],
    ['16-bit-grey-alpha.png', 'png', 109, 96],
    ['pitm.avif', 'heif', 1024, 800],
    ['4.webp', 'webp', 1024, 772],
    ['G31D_MULTI.TIF', 'tiff', 2464, 3248],
    ['animated-loop-3.gif', 'gif', 370, 285],
    ['grey-plus-alpha.gif', 'gif', 2, 1],
  ])('writes decodable variants for %s', async (name, format, width, height) => {
    // Prepare
    const body = fixture(name);

    // Act
    const { store, output } = await run(body);

    // Assess
    expect(output.image).toMatchObject({ format, width, height, bytes: body.length });
    expect(resizeOutputSchema.safeParse(output).error).toBeUndefined();
    expect(output.variants.length).toBeGreaterThanOrEqual(2);
    for (const variant of output.variants) {
      const put = store.put(PROCESSED, variant.key)!;
      const meta = await sharp(put.body).metadata();
      expect(meta.format).toBe(variant.format);
      expect([meta.width, meta.height]).toEqual([variant.width, variant.height]);
      expect(put.body.length).toBe(variant.bytes);
      expect(put.contentType).toBe(variant.format === 'webp' ? 'image/webp' : 'image/jpeg');
      expect(put.cacheControl).toBe(VARIANT_CACHE_CONTROL);
      expect(Math.max(variant.width, variant.height)).toBeLessThanOrEqual(Math.max(width, height));
      expect(meta.space).toBe('srgb');
    }
    expect(output.perceptualHash).toMatch(/^[0-9a-f]{16}$/);
    expect(Buffer.from(output.placeholder.value, 'base64').length).toBeGreaterThanOrEqual(5);
  });

  test('reports the CMYK source and writes sRGB variants tagged with an sRGB profile', async () => {
    // Act
    const { store, output } = await run(fixture('Channel_digital_image_CMYK_color_no_profile.jpg'));

    // Assess
    expect(output.image.space).toBe('cmyk');
    const meta = await sharp(store.put(PROCESSED, output.variants[0].key)!.body).metadata();
    expect(meta.channels).toBe(3);
    expect(meta.hasProfile).toBe(true);
    expect(output.analysisImage.key).toMatch(/analysis\.jpg$/);
  });

  test('reports 16-bit grey with alpha and keeps the alpha in WebP only', async () => {
    // Act
    const { store, output } = await run(fixture('16-bit-grey-alpha.png'));

    // Assess
    expect(output.image).toMatchObject({ space: 'grey16', bitsPerSample: 16, hasAlpha: true });
    const webp = output.variants.find((v) => v.format === 'webp')!;
    const jpeg = output.variants.find((v) => v.format === 'jpeg')!;
    expect((await sharp(store.put(PROCESSED, webp.key)!.body).metadata()).hasAlpha).toBe(true);
    const jpegMeta = await sharp(store.put(PROCESSED, jpeg.key)!.body).metadata();
    expect([jpegMeta.hasAlpha, jpegMeta.depth]).toEqual([false, 'uchar']);
  });

  test('uses the first frame of an animated GIF and writes static variants', async () => {
    // Act
    const { store, output } = await run(fixture('animated-loop-3.gif'));

    // Assess
    expect(output.image).toMatchObject({ pages: 10, animated: true });
    for (const body of variantBodies(store, output)) {
      expect((await sharp(body, { animated: true }).metadata()).pages ?? 1).toBe(1);
    }
  });

  test("marks every output with the upload's sourceOrder, so a clean-up can tell revisions apart", async () => {
    // Act
    const { store, input, output } = await run(fixture('Landscape_5.jpg'));

    // Assess
    const written = [...store.puts.values()].filter((put) => put.bucket === PROCESSED);
    expect(written.length).toBe(output.variants.length + (output.analysisImage.bucket === PROCESSED ? 1 : 0));
    for (const put of written) expect(put.metadata).toEqual({ 'source-order': input.source.sourceOrder });
  });

  test('uses the first page of a multi-page TIFF', async () => {
    // Act
    const { output } = await run(fixture('G31D_MULTI.TIF'));

    // Assess
    expect(output.image).toMatchObject({ pages: 2, animated: false, width: 2464, height: 3248 });
    expect(output.variants[0]).toMatchObject({ width: 1554, height: 2048 });
  });

  test('marks a 2x1 GIF as not analysable and never upscales it', async () => {
    // Act
    const { output } = await run(fixture('grey-plus-alpha.gif'));

    // Assess
    expect(output.analysable).toBe(false);
    expect(output.variants.map((v) => [v.key.split('/').pop(), v.width, v.height])).toEqual([
      ['w2.webp', 2, 1],
      ['w2.jpg', 2, 1],
    ]);
  });
});

describe('resizeImage variant sizes', () => {
  test('writes each configured longest side plus the original size when it is smaller than the largest', async () => {
    // Act
    const { output } = await run(fixture('flowers.jpeg'));

    // Assess
    expect(output.variants.map((v) => `${v.key.split('/').pop()} ${v.width}x${v.height}`)).toEqual([
      'w1920.webp 1920x1080',
      'w1920.jpg 1920x1080',
      'w1024.webp 1024x576',
      'w1024.jpg 1024x576',
      'w256.webp 256x144',
      'w256.jpg 256x144',
    ]);
    expect(output.variants[0].key).toBe('images/0123456789abcdef0123456789abcdef/fedcba9876543210/w1920.webp');
  });

  test('writes exactly the configured sizes when the original is larger than all of them', async () => {
    // Prepare
    const body = await sharp(fixture('flowers.jpeg')).resize(3000, 1688).jpeg().toBuffer();

    // Act
    const { output } = await run(body, { variantWidths: [320, 2048] });

    // Assess
    expect(output.variants.map((v) => [v.width, v.height])).toEqual([
      [2048, 1152],
      [2048, 1152],
      [320, 180],
      [320, 180],
    ]);
  });
});

describe('resizeImage orientation and metadata', () => {
  test.each([
    ['Landscape_5.jpg', 5, 600, 450],
    ['Portrait_6.jpg', 6, 450, 600],
  ])('writes upright variants without an orientation tag for %s', async (name, orientation, width, height) => {
    // Act
    const { store, output } = await run(fixture(name));

    // Assess
    expect(output.exif.orientation).toBe(orientation);
    expect([output.image.width, output.image.height]).toEqual([width, height]);
    for (const body of variantBodies(store, output)) {
      const meta = await sharp(body).metadata();
      expect(meta.orientation).toBeUndefined();
      expect(meta.exif).toBeUndefined();
      expect(Math.sign(meta.width! - meta.height!)).toBe(Math.sign(width - height));
    }
    expect(output.analysisImage.key).toMatch(/analysis\.jpg$/);
    expect([output.analysisImage.width, output.analysisImage.height]).toEqual([width, height]);
  });

  test('drops GPS and all EXIF from every output by default', async () => {
    // Prepare
    const body = await jpegWithGps();
    expect((await exifr.gps(body))?.latitude).toBeCloseTo(51.5);

    // Act
    const { store, output } = await run(body);

    // Assess
    expect(output.exif).toEqual({ make: 'Acme', model: 'Pocket 1', takenAt: '2021-06-01T10:00:00.000Z', hasGps: true, orientation: 1 });
    const written = [...store.puts.values()].map((p) => p.body);
    expect(written.length).toBe(output.variants.length);
    for (const outputBody of written) {
      expect(await gpsOf(outputBody)).toBeUndefined();
      const meta = await sharp(outputBody).metadata();
      expect([meta.exif, meta.xmp, meta.iptc]).toEqual([undefined, undefined, undefined]);
    }
  });

  test('drops GPS from a real phone photo (group-1.jpg has GPS tags)', async () => {
    // Act
    const { store, output } = await run(fixture('group-1.jpg'));

    // Assess
    expect(output.exif.hasGps).toBe(true);
    for (const body of variantBodies(store, output)) {
      expect((await sharp(body).metadata()).exif).toBeUndefined();
    }
  });

  test('keeps camera EXIF and GPS in the variants when KEEP_GPS is on', async () => {
    // Act
    const { store, output } = await run(await jpegWithGps(), { keepGps: true });

    // Assess
    for (const body of variantBodies(store, output)) {
      const gps = await gpsOf(body);
      expect(gps?.latitude).toBeCloseTo(51.5, 3);
      expect(gps?.longitude).toBeCloseTo(-0.125, 3);
      const { exif } = await sharp(body).metadata();
      expect((await exifr.parse(exif!.subarray(6), ['Make'])).Make).toBe('Acme');
    }
  });

  test('keeps working when the EXIF block is garbage', async () => {
    // Prepare: an APP1 "Exif" segment full of random bytes right after SOI.
    const jpeg = await sharp(fixture('ai-face.jpg')).jpeg().toBuffer();
    const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), Buffer.from('MM\0*\0\0\0\x08', 'latin1'), randomBytes(200)]);
    const segment = Buffer.concat([Buffer.from([0xff, 0xe1, 0, 0]), payload]);
    segment.writeUInt16BE(payload.length + 2, 2);
    const body = Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);

    // Act
    const { output } = await run(body);

    // Assess
    expect(output.image.format).toBe('jpeg');
    expect(output.exif.hasGps).toBe(false);
  });
});

describe('resizeImage analysis image', () => {
  test('points at the original when Rekognition accepts it as it is', async () => {
    // Act
    const { input, output, store } = await run(fixture('flowers.jpeg'));

    // Assess
    expect(output.analysisImage).toEqual({
      bucket: UPLOADS,
      key: input.source.key,
      versionId: null,
      width: 1920,
      height: 1080,
      bytes: 85267,
    });
    expect(store.put(PROCESSED, 'images/0123456789abcdef0123456789abcdef/fedcba9876543210/analysis.jpg')).toBeUndefined();
  });

  test.each(['4.webp', 'pitm.avif', 'G31D_MULTI.TIF', '16-bit-grey-alpha.png', 'animated-loop-3.gif'])(
    'writes an 8-bit RGB JPEG copy for %s',
    async (name) => {
      // Act
      const { store, output } = await run(fixture(name));

      // Assess
      const put = store.put(PROCESSED, output.analysisImage.key)!;
      expect(output.analysisImage.bucket).toBe(PROCESSED);
      expect(put.contentType).toBe('image/jpeg');
      const meta = await sharp(put.body).metadata();
      expect(meta).toMatchObject({ format: 'jpeg', space: 'srgb', channels: 3, depth: 'uchar' });
      expect([meta.width, meta.height]).toEqual([output.analysisImage.width, output.analysisImage.height]);
      expect(put.body.length).toBe(output.analysisImage.bytes);
    },
  );

  test('shrinks a 6000 px noisy image to at most 4096 px and 5 MB', async () => {
    // Prepare: random noise compresses badly, so the quality has to step down.
    const noise = await sharp(randomBytes(1500 * 1000 * 3), { raw: { width: 1500, height: 1000, channels: 3 } })
      .resize(6000, 4000, { kernel: 'nearest' })
      .png({ compressionLevel: 1 })
      .toBuffer();

    // Act
    const { store, output } = await run(noise);

    // Assess
    const put = store.put(PROCESSED, output.analysisImage.key)!;
    const meta = await sharp(put.body).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(4096);
    expect(put.body.length).toBeLessThanOrEqual(5 * 1024 * 1024);
    expect(meta.channels).toBe(3);
  }, 60_000);
});

describe('resizeImage result shape', () => {
  test('never turns upload metadata into a recipient: notify-email reaches no output (issue 12, finding 3)', async () => {
    // Act
    const { output } = await run(fixture('ai-face.jpg'), {}, { 'notify-email': 'ana@example.org' });

    // Assess
    expect(JSON.stringify(output)).not.toContain('ana@example.org');
    expect(output).not.toHaveProperty('recipient');
  });

  test('returns only pointers (no bytes)', async () => {
    // Act
    const { output } = await run(fixture('ai-face.jpg'));

    // Assess
    expect(JSON.stringify(output).length).toBeLessThan(4096);
    expect(Object.keys(output).sort()).toEqual([
      'analysable',
      'analysisImage',
      'exif',
      'image',
      'imageProperties',
      'mediaType',
      'perceptualHash',
      'placeholder',
      'variants',
    ]);
  });
});

describe('resizeImage refusals', () => {
  test.each([
    ['corrupt-header.jpg', 'CorruptImageError'],
    ['truncated.jpg', 'CorruptImageError'],
    ['giant-image.jpg', 'ImageTooLargeError'],
  ])('refuses %s with %s and writes nothing', async (name, errorName) => {
    // Prepare
    const { store, input } = upload(fixture(name));

    // Act
    const result = resizeImage(input, { store, settings: settings() });

    // Assess
    await expect(result).rejects.toMatchObject({ name: errorName });
    expect(store.puts.size).toBe(0);
  });

  test('refuses a 30000x30000 PNG bomb from its header', async () => {
    // Prepare
    const bomb = await pngOfZeros(30_000, 30_000);
    expect(bomb.length).toBeLessThan(8 * 1024 * 1024);
    const { store, input } = upload(bomb);

    // Act
    const result = resizeImage(input, { store, settings: settings() });

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'ImageTooLargeError', message: expect.stringContaining('30000x30000') });
  }, 30_000);

  test('refuses a JPEG whose header claims 65500x65500', async () => {
    // Prepare
    const { store, input } = upload(await jpegClaiming(65_500, 65_500));

    // Act
    const result = resizeImage(input, { store, settings: settings() });

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'ImageTooLargeError' });
  });

  test('refuses a JPEG whose scan data ends before its declared size with CorruptImageError', async () => {
    // Prepare: libjpeg would fill the missing rows with grey and only warn.
    const { store, input } = upload(await jpegClaiming(1000, 1000));

    // Act
    const result = resizeImage(input, { store, settings: settings() });

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'CorruptImageError', message: expect.stringContaining('premature end') });
    expect(store.puts.size).toBe(0);
  });

  test('accepts a JPEG with extraneous bytes before its EOI marker', async () => {
    // Prepare
    const jpeg = await sharp(fixture('ai-face.jpg')).jpeg().toBuffer();
    const body = Buffer.concat([jpeg.subarray(0, -2), Buffer.from([1, 2, 3]), jpeg.subarray(-2)]);

    // Act
    const { output } = await run(body);

    // Assess
    expect(output.image.format).toBe('jpeg');
  });

  test('refuses an image over MAX_INPUT_PIXELS before decoding it', async () => {
    // Act
    const result = run(fixture('flowers.jpeg'), { maxInputPixels: 1920 * 1080 - 1 });

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'ImageTooLargeError' });
  });

  test('refuses an object over MAX_INPUT_BYTES from its ContentLength without reading the body', async () => {
    // Prepare
    const { store, input } = upload(fixture('flowers.jpeg'), { contentLength: 200_000_000 });

    // Act
    const result = resizeImage(input, { store, settings: settings() });

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'ImageTooLargeError' });
    expect(store.bodiesRead).toBe(0);
  });

  test('refuses a missing object with SourceNotFoundError', async () => {
    // Prepare
    const { store, input } = upload(fixture('flowers.jpeg'));

    // Act
    const result = resizeImage({ ...input, source: { ...input.source, key: 'uploads/missing.jpg' } }, { store, settings: settings() });

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'SourceNotFoundError' });
  });

  test.each([
    ['random bytes', randomBytes(4096), ['UnsupportedImageTypeError']],
    ['plain text', Buffer.from('hello, this is not an image\n'), ['UnsupportedImageTypeError']],
    ['HTML', Buffer.from('<!DOCTYPE html><html><body><img src="x.png"></body></html>'), ['UnsupportedImageTypeError']],
    ['a PDF header', Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1'), ['UnsupportedImageTypeError']],
    [
      'an MP4 header',
      Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypisom\0\0\x02\0isomiso2avc1mp41', 'latin1'), randomBytes(64)]),
      ['UnsupportedImageTypeError'],
    ],
    ['zero bytes', Buffer.alloc(0), ['CorruptImageError']],
    ['a lone JPEG signature', Buffer.from([0xff, 0xd8, 0xff]), ['CorruptImageError']],
    [
      'a PNG signature and junk',
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(100)]),
      ['CorruptImageError'],
    ],
  ])('refuses %s with a named error', async (_label, body, names) => {
    // Act
    const result = run(body);

    // Assess
    const error = await result.then(
      () => undefined,
      (e: Error) => e,
    );
    expect(names).toContain(error?.name);
  });
});

describe('resizeImage SVG policy', () => {
  test('refuses SVG by default', async () => {
    // Act
    const result = run(fixture('check.svg'));

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'UnsupportedImageTypeError', message: expect.stringContaining('ALLOW_SVG') });
  });

  test('renders a self-contained SVG when ALLOW_SVG is on', async () => {
    // Act
    const { store, output } = await run(fixture('check.svg'), { allowSvg: true });

    // Assess
    expect(output.image).toMatchObject({ format: 'svg', width: 100, height: 100 });
    expect((await sharp(store.put(PROCESSED, output.variants[0].key)!.body).metadata()).format).toBe('webp');
  });
});
