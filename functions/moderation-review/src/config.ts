import { ConfigurationError } from './errors';

/** Settings of ModerationReview, read once per cold start. */
export interface ReviewConfig {
  readonly imagesTableName: string;
  readonly processedBucketName: string;
}

/**
 * Reads ModerationReview's settings from the environment (the only reader of `process.env`).
 * @throws ConfigurationError naming every missing variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ReviewConfig {
  const missing = ['IMAGES_TABLE_NAME', 'PROCESSED_BUCKET_NAME'].filter((name) => (env[name]?.trim() ?? '') === '');
  if (missing.length > 0) throw new ConfigurationError(missing);
  return Object.freeze({
    imagesTableName: String(env.IMAGES_TABLE_NAME).trim(),
    processedBucketName: String(env.PROCESSED_BUCKET_NAME).trim(),
  });
}
