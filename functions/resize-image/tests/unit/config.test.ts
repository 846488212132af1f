import { loadConfig } from '../../src/config';

describe('loadConfig', () => {
  test('applies the documented defaults', () => {
    expect(loadConfig({ PROCESSED_BUCKET_NAME: 'processed' })).toEqual({
      processedBucketName: 'processed',
      maxInputBytes: 104_857_600,
      maxInputPixels: 100_000_000,
      variantWidths: [256, 1024, 2048],
      keepGps: false,
      allowSvg: false,
    });
  });

  test('reads every variable and sorts and de-duplicates the widths', () => {
    const config = loadConfig({
      PROCESSED_BUCKET_NAME: 'p',
      MAX_INPUT_BYTES: '1000',
      MAX_INPUT_PIXELS: '2000',
      VARIANT_WIDTHS: '1024, 320,320',
      KEEP_GPS: 'true',
      ALLOW_SVG: 'TRUE',
      // The recipient policy left the resizer (issue 12): these are no longer read.
      DEFAULT_RECIPIENT: 'ops@example.com',
      ALLOWED_RECIPIENT_DOMAINS: 'example.org',
    });
    expect(config).toEqual({
      processedBucketName: 'p',
      maxInputBytes: 1000,
      maxInputPixels: 2000,
      variantWidths: [320, 1024],
      keepGps: true,
      allowSvg: true,
    });
  });

  test('returns a frozen object', () => {
    const config = loadConfig({ PROCESSED_BUCKET_NAME: 'p' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.variantWidths)).toBe(true);
  });

  test('names every missing or malformed variable in one ConfigurationError', () => {
    let error: Error | undefined;
    try {
      loadConfig({ MAX_INPUT_BYTES: '-1', VARIANT_WIDTHS: '256,abc', KEEP_GPS: 'yes' });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('ConfigurationError');
    for (const name of ['PROCESSED_BUCKET_NAME', 'MAX_INPUT_BYTES', 'VARIANT_WIDTHS', 'KEEP_GPS']) expect(error?.message).toContain(name);
  });
});
