import { ConfigurationError } from './errors';

/** What the function needs from its environment (template.yaml sets it). */
export interface AnalyseConfig {
  readonly processedBucketName: string;
  readonly configParameterName: string;
  /** The images table: its hash bands (GSI1) and image items, to reuse a near-duplicate's analysis. */
  readonly imagesTableName: string;
  /** The stack's Rekognition face collection (groupFacesIntoPeople); absent = grouping cannot be switched on. */
  readonly faceCollectionId?: string;
}

/**
 * Reads the environment once; the only reader of `process.env` in this function.
 * @throws ConfigurationError naming every missing variable, so a bad deploy fails at cold start.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AnalyseConfig {
  const required = ['PROCESSED_BUCKET_NAME', 'CONFIG_PARAMETER_NAME', 'IMAGES_TABLE_NAME'] as const;
  const missing = required.filter((name) => !env[name]?.trim());
  if (missing.length > 0) throw new ConfigurationError(missing);
  return Object.freeze({
    processedBucketName: env.PROCESSED_BUCKET_NAME!.trim(),
    configParameterName: env.CONFIG_PARAMETER_NAME!.trim(),
    imagesTableName: env.IMAGES_TABLE_NAME!.trim(),
    ...(env.FACE_COLLECTION_ID?.trim() ? { faceCollectionId: env.FACE_COLLECTION_ID.trim() } : {}),
  });
}
