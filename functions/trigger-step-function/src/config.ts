import { ConfigurationError } from './errors';

/** Settings of the trigger, read once per cold start. */
export interface TriggerConfig {
  readonly stateMachineArn: string;
  readonly uploadsPrefix: string;
  /** The only bucket whose records start executions (the template's uploads bucket). */
  readonly uploadsBucketName: string;
}

const DEFAULT_UPLOADS_PREFIX = 'uploads/';

/**
 * Reads the trigger's settings from the environment (the only reader of `process.env`).
 * @throws ConfigurationError naming every missing or invalid variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): TriggerConfig {
  const problems: string[] = [];
  const stateMachineArn = env.STATE_MACHINE_ARN?.trim() ?? '';
  if (stateMachineArn === '') {
    problems.push('STATE_MACHINE_ARN');
  } else if (!stateMachineArn.startsWith('arn:')) {
    problems.push('STATE_MACHINE_ARN (not an ARN)');
  }
  const uploadsBucketName = env.UPLOADS_BUCKET_NAME?.trim() ?? '';
  if (uploadsBucketName === '') problems.push('UPLOADS_BUCKET_NAME');
  if (problems.length > 0) throw new ConfigurationError(problems);
  // An empty value counts as unset: SAM passes "" for a blank parameter, and scanning the whole
  // bucket would also pick up anything written outside the upload area.
  const uploadsPrefix = env.UPLOADS_PREFIX !== undefined && env.UPLOADS_PREFIX !== '' ? env.UPLOADS_PREFIX : DEFAULT_UPLOADS_PREFIX;
  return Object.freeze({ stateMachineArn, uploadsPrefix, uploadsBucketName });
}
