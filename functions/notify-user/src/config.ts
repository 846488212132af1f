import { ConfigurationError } from './errors';

/** Settings of the notifier, read once per cold start. */
export interface NotifyConfig {
  readonly imagesTableName: string;
  /** The notifier's own queue: digests are queued on it, delayed to the end of their window. */
  readonly notificationQueueUrl: string;
  /** The SES identity e-mails are sent from; null turns the e-mail channel off. */
  readonly emailSender: string | null;
  readonly smsEnabled: boolean;
  /** Messages per owner, channel and window before the rest of the window goes into one digest. */
  readonly notificationsPerWindow: number;
  readonly windowSeconds: number;
  /** The Cognito user pool holding owners' verified addresses; null means nobody can be reached. */
  readonly userPoolId: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Reads the notifier's settings from the environment (the only reader of `process.env`).
 * @throws ConfigurationError naming every missing or invalid variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): NotifyConfig {
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim() ?? '';
    if (value === '') problems.push(`${name} is required`);
    return value;
  };
  const integer = (name: string, min: number, max: number, fallback: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max)
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    return value;
  };
  const imagesTableName = required('IMAGES_TABLE_NAME');
  const notificationQueueUrl = required('NOTIFICATION_QUEUE_URL');
  const emailSender = env.EMAIL_SENDER?.trim() || null;
  if (emailSender !== null && !EMAIL.test(emailSender))
    problems.push(`EMAIL_SENDER must be an e-mail address or empty, got "${emailSender}"`);
  const sms = env.SMS_ENABLED?.trim().toLowerCase() ?? 'false';
  if (!['true', 'false', ''].includes(sms)) problems.push(`SMS_ENABLED must be true or false, got "${sms}"`);
  const config: NotifyConfig = {
    imagesTableName,
    notificationQueueUrl,
    emailSender,
    smsEnabled: sms === 'true',
    notificationsPerWindow: integer('NOTIFICATIONS_PER_WINDOW', 1, 100, 5),
    // SQS delays a message by at most 15 minutes, and the digest waits for the window's end that way.
    windowSeconds: integer('NOTIFICATION_WINDOW_MINUTES', 1, 15, 15) * 60,
    userPoolId: env.USER_POOL_ID?.trim() || null,
  };
  if (problems.length > 0) throw new ConfigurationError(problems);
  return Object.freeze(config);
}
