import { ConfigurationError } from './errors';

/** Settings of CleanUpImage, read once per cold start. */
export interface CleanUpConfig {
  readonly uploadsBucketName: string;
  readonly uploadsPrefix: string;
  readonly processedBucketName: string;
  readonly imagesTableName: string;
  /** How long the DELETED item stays (DynamoDB TTL), refusing late runs of the deleted upload. */
  readonly tombstoneDays: number;
  /** The stack's face collection (FACE_COLLECTION_ID): a deleted image's face vectors are deleted from it. */
  readonly faceCollectionId?: string;
}

const DEFAULT_UPLOADS_PREFIX = 'uploads/';
const DEFAULT_TOMBSTONE_DAYS = 7;

/**
 * Reads CleanUpImage's settings from the environment (the only reader of `process.env`).
 * @throws ConfigurationError naming every missing or invalid variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): CleanUpConfig {
  const required = ['UPLOADS_BUCKET_NAME', 'PROCESSED_BUCKET_NAME', 'IMAGES_TABLE_NAME'] as const;
  const problems: string[] = required.filter((name) => (env[name]?.trim() ?? '') === '');
  const tombstoneDays = env.TOMBSTONE_DAYS ? Number(env.TOMBSTONE_DAYS) : DEFAULT_TOMBSTONE_DAYS;
  if (!Number.isInteger(tombstoneDays) || tombstoneDays < 1) problems.push('TOMBSTONE_DAYS (not a whole number of days, at least 1)');
  if (problems.length > 0) throw new ConfigurationError(problems);
  return Object.freeze({
    uploadsBucketName: String(env.UPLOADS_BUCKET_NAME).trim(),
    uploadsPrefix: env.UPLOADS_PREFIX || DEFAULT_UPLOADS_PREFIX,
    processedBucketName: String(env.PROCESSED_BUCKET_NAME).trim(),
    imagesTableName: String(env.IMAGES_TABLE_NAME).trim(),
    tombstoneDays,
    ...(env.FACE_COLLECTION_ID?.trim() ? { faceCollectionId: env.FACE_COLLECTION_ID.trim() } : {}),
  });
}
