import { ConfigurationError } from './errors';

/** Settings of the Reprocess function, read once per cold start. */
export interface ReprocessConfig {
  readonly imagesTableName: string;
  /** The bucket the manifests go to (the processed bucket, under reprocess/). */
  readonly manifestBucketName: string;
}

/**
 * Reads the Reprocess settings from the environment (the only reader of `process.env`).
 * @throws ConfigurationError naming every missing variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ReprocessConfig {
  const problems = ['IMAGES_TABLE_NAME', 'MANIFEST_BUCKET_NAME'].filter((name) => (env[name]?.trim() ?? '') === '');
  if (problems.length > 0) throw new ConfigurationError(problems);
  return Object.freeze({
    imagesTableName: String(env.IMAGES_TABLE_NAME).trim(),
    manifestBucketName: String(env.MANIFEST_BUCKET_NAME).trim(),
  });
}
