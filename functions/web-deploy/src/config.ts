import { join } from 'node:path';
import { ConfigurationError } from './errors';

/** Settings of the web-deploy function, read once per cold start. */
export interface WebDeployConfig {
  readonly webBucketName: string;
  /** The built console shipped inside the function's package (the Makefile puts it in `site/`). */
  readonly siteDir: string;
}

/**
 * Reads the settings from the environment (the only reader of `process.env`).
 * @throws ConfigurationError naming every missing variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, codeDir: string = __dirname): WebDeployConfig {
  const webBucketName = env.WEB_BUCKET_NAME?.trim() ?? '';
  if (webBucketName === '') throw new ConfigurationError(['WEB_BUCKET_NAME']);
  return Object.freeze({ webBucketName, siteDir: env.SITE_DIR?.trim() || join(codeDir, 'site') });
}
