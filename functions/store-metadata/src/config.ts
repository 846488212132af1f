import { ConfigurationError } from './errors';

/** Settings of StoreMetadata, read once per cold start. */
export interface StoreConfig {
  readonly imagesTableName: string;
}

/**
 * Reads StoreMetadata's settings from the environment (the only reader of `process.env`).
 * @throws ConfigurationError naming every missing variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const imagesTableName = env.IMAGES_TABLE_NAME?.trim() ?? '';
  if (imagesTableName === '') throw new ConfigurationError(['IMAGES_TABLE_NAME']);
  return Object.freeze({ imagesTableName });
}
