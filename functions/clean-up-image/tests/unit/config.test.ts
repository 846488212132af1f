import { loadConfig } from '../../src/config';
import { ConfigurationError } from '../../src/errors';

const ENV = { UPLOADS_BUCKET_NAME: 'uploads', PROCESSED_BUCKET_NAME: 'processed', IMAGES_TABLE_NAME: 'images' };

describe('loadConfig', () => {
  it('returns a frozen config with the default prefix and a week of tombstone', () => {
    // Act
    const config = loadConfig(ENV);

    // Assess
    expect(config).toEqual({
      uploadsBucketName: 'uploads',
      uploadsPrefix: 'uploads/',
      processedBucketName: 'processed',
      imagesTableName: 'images',
      tombstoneDays: 7,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every missing or invalid variable in one ConfigurationError', () => {
    // Act
    const load = () => loadConfig({ PROCESSED_BUCKET_NAME: 'processed', TOMBSTONE_DAYS: '0.5' });

    // Assess
    expect(load).toThrow(ConfigurationError);
    expect(load).toThrow(/UPLOADS_BUCKET_NAME; IMAGES_TABLE_NAME; TOMBSTONE_DAYS/);
  });
});
