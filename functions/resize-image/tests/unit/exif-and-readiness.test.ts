import { exifForVariants, readExifTags, summariseExif } from '../../src/exif';
import { analysisCopyReason, type ReadinessFacts } from '../../src/rekognition-readiness';
import { fixture } from './helpers/fixtures';
import { jpegWithGps } from './helpers/hostile-images';

describe('summariseExif', () => {
  test('summarises camera, time and GPS of a real phone photo', async () => {
    const summary = summariseExif(await readExifTags(fixture('group-1.jpg')), undefined);
    expect(summary).toEqual({
      make: 'LG Electronics',
      model: 'LG-H950',
      takenAt: '2016-09-04T23:58:54.000Z',
      hasGps: true,
      orientation: null,
    });
  });

  test('applies OffsetTimeOriginal to the capture time', () => {
    expect(summariseExif({ DateTimeOriginal: '2021:06:01 10:00:00', OffsetTimeOriginal: '+02:00' }, undefined).takenAt).toBe(
      '2021-06-01T08:00:00.000Z',
    );
  });

  test('prefers the decoder orientation and ignores out-of-range values', () => {
    expect(summariseExif({ Orientation: 3 }, 6).orientation).toBe(6);
    expect(summariseExif({ Orientation: 42 }, undefined).orientation).toBeNull();
  });

  test('returns an empty summary for bytes without EXIF or with broken EXIF', async () => {
    const broken = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x10]),
      Buffer.from('Exif\0\0MM\0*\xff\xff\xff\xff', 'latin1'),
    ]);
    for (const body of [Buffer.from('nothing'), broken, fixture('4.webp')]) {
      expect(summariseExif(await readExifTags(body), undefined)).toEqual({
        make: null,
        model: null,
        takenAt: null,
        hasGps: false,
        orientation: null,
      });
    }
  });
});

describe('exifForVariants', () => {
  test('keeps camera, capture time and GPS, and leaves orientation out', async () => {
    const exif = exifForVariants({ ...(await readExifTags(await jpegWithGps())), Orientation: 6 });
    expect(exif.IFD0).toMatchObject({ Make: 'Acme', Model: 'Pocket 1' });
    expect(exif.IFD0).not.toHaveProperty('Orientation');
    expect(exif.IFD2).toMatchObject({ DateTimeOriginal: '2021:06:01 10:00:00' });
    expect(exif.IFD3).toMatchObject({ GPSLatitudeRef: 'N', GPSLatitude: '510000/10000 300000/10000 0/10000' });
  });
});

describe('analysisCopyReason', () => {
  const ready: ReadinessFacts = {
    format: 'jpeg',
    width: 4000,
    height: 3000,
    bytes: 5_000_000,
    space: 'srgb',
    bitsPerSample: 8,
    hasAlpha: false,
    orientation: 1,
  };

  test('accepts an upright 8-bit sRGB JPEG or grey PNG within the limits', () => {
    expect(analysisCopyReason(ready)).toBeNull();
    expect(analysisCopyReason({ ...ready, format: 'png', space: 'b-w', orientation: undefined })).toBeNull();
  });

  test.each([
    [{ format: 'webp' }, 'format webp'],
    [{ space: 'cmyk' }, 'colour space cmyk'],
    [{ bitsPerSample: 16, space: 'rgb16' }, 'colour space rgb16'],
    [{ format: 'png', bitsPerSample: 16 }, '16-bit samples'],
    [{ format: 'png', hasAlpha: true }, 'alpha channel'],
    [{ orientation: 6 }, 'EXIF orientation 6'],
    [{ width: 4097 }, 'longer than 4096 px'],
    [{ bytes: 15 * 1024 * 1024 + 1 }, 'larger than 15 MB'],
  ])('asks for a copy when %j', (change, reason) => {
    expect(analysisCopyReason({ ...ready, ...change })).toBe(reason);
  });
});
