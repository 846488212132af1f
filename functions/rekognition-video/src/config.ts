import { ConfigurationError } from './errors';

export interface VideoAnalysisEnv {
  readonly processedBucketName: string;
  readonly configParameterName: string;
}

/**
 * Reads the environment once (the only reader of process.env).
 * @throws ConfigurationError naming every missing variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): VideoAnalysisEnv {
  const missing = (['PROCESSED_BUCKET_NAME', 'CONFIG_PARAMETER_NAME'] as const).filter((name) => !env[name]?.trim());
  if (missing.length > 0) throw new ConfigurationError(missing.map((name) => `${name} is required`));
  return Object.freeze({ processedBucketName: env.PROCESSED_BUCKET_NAME!.trim(), configParameterName: env.CONFIG_PARAMETER_NAME!.trim() });
}
