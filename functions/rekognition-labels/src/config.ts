import { MissingEnvironmentError } from './errors';

/** What the function needs from its environment (template.yaml sets it). */
export interface Environment {
  readonly processedBucketName: string;
  readonly configParameterName: string;
}

/**
 * Reads the environment once; the only reader of `process.env` in this function.
 * @throws MissingEnvironmentError naming every missing variable, so a bad deploy fails at cold start.
 */
export function loadEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const required = ['PROCESSED_BUCKET_NAME', 'CONFIG_PARAMETER_NAME'] as const;
  const missing = required.filter((name) => !env[name]?.trim());
  if (missing.length > 0) {
    throw new MissingEnvironmentError(`Missing environment variables: ${missing.join(', ')}`);
  }
  return Object.freeze({
    processedBucketName: env.PROCESSED_BUCKET_NAME!.trim(),
    configParameterName: env.CONFIG_PARAMETER_NAME!.trim(),
  });
}
