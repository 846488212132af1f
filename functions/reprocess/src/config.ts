import { ConfigurationError } from './errors';

/** Settings of the Reprocess function, read once per cold start. */
export interface ReprocessConfig {
  readonly imagesTableName: string;
  /** The bucket the manifests go to (the processed bucket, under reprocess/). */
  readonly manifestBucketName: string;
  /** The template's ReviewTimeoutSeconds: how long a pipeline run may wait for a review (a claim outlasts it). */
  readonly reviewTimeoutSeconds: number;
}

/**
 * Reads the Reprocess settings from the environment (the only reader of `process.env`).
 * @throws ConfigurationError naming every missing variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ReprocessConfig {
  const problems = ['IMAGES_TABLE_NAME', 'MANIFEST_BUCKET_NAME'].filter((name) => (env[name]?.trim() ?? '') === '');
  const reviewTimeoutSeconds = Number(env.REVIEW_TIMEOUT_SECONDS);
  if (!Number.isInteger(reviewTimeoutSeconds) || reviewTimeoutSeconds <= 0)
    problems.push('REVIEW_TIMEOUT_SECONDS (a whole number of seconds)');
  if (problems.length > 0) throw new ConfigurationError(problems);
  return Object.freeze({
    imagesTableName: String(env.IMAGES_TABLE_NAME).trim(),
    manifestBucketName: String(env.MANIFEST_BUCKET_NAME).trim(),
    reviewTimeoutSeconds,
  });
}
