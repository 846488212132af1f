import { ConfigurationError } from './errors';

/** Settings of the API function, read once per cold start. */
export interface ApiConfig {
  readonly imagesTableName: string;
  readonly uploadsBucketName: string;
  readonly processedBucketName: string;
  readonly stateMachineArn: string;
  /** The user pool's issuer URL; its JWKS is at `<issuer>/.well-known/jwks.json`. */
  readonly userPoolIssuer: string;
  readonly userPoolClientId: string;
  /** Largest upload the presigned POST allows (ResizeImage's MaxInputBytes). */
  readonly maxUploadBytes: number;
  /** Athena workgroup and Glue database of the analytics facts (GET /analytics). */
  readonly analyticsWorkGroup: string;
  readonly analyticsDatabase: string;
}

const REQUIRED = {
  imagesTableName: 'IMAGES_TABLE_NAME',
  uploadsBucketName: 'UPLOADS_BUCKET_NAME',
  processedBucketName: 'PROCESSED_BUCKET_NAME',
  stateMachineArn: 'STATE_MACHINE_ARN',
  userPoolIssuer: 'USER_POOL_ISSUER',
  userPoolClientId: 'USER_POOL_CLIENT_ID',
  maxUploadBytes: 'MAX_UPLOAD_BYTES',
  analyticsWorkGroup: 'ANALYTICS_WORKGROUP',
  analyticsDatabase: 'ANALYTICS_DATABASE',
} as const;

/**
 * Reads the API's settings from the environment (the only reader of `process.env`).
 * @throws ConfigurationError naming every missing or invalid variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const problems: string[] = [];
  const value = (name: string) => {
    const text = env[name]?.trim() ?? '';
    if (text === '') problems.push(name);
    return text;
  };
  const read = Object.fromEntries(Object.entries(REQUIRED).map(([key, name]) => [key, value(name)])) as Record<
    keyof typeof REQUIRED,
    string
  >;
  if (read.stateMachineArn !== '' && !read.stateMachineArn.startsWith('arn:')) problems.push('STATE_MACHINE_ARN (not an ARN)');
  if (read.userPoolIssuer !== '' && !/^https?:\/\/[^/]+\/\S+[^/]$/.test(read.userPoolIssuer))
    problems.push('USER_POOL_ISSUER (not an issuer URL)');
  const maxUploadBytes = Number(read.maxUploadBytes);
  if (read.maxUploadBytes !== '' && !(Number.isInteger(maxUploadBytes) && maxUploadBytes > 0))
    problems.push('MAX_UPLOAD_BYTES (not a positive whole number)');
  if (problems.length > 0) throw new ConfigurationError(problems);
  return Object.freeze({ ...read, maxUploadBytes });
}
