import { EnvironmentReader } from '@smart-image-pipeline/contracts';

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
  const read = new EnvironmentReader(env);
  const imagesTableName = read.required('IMAGES_TABLE_NAME');
  const notificationQueueUrl = read.required('NOTIFICATION_QUEUE_URL');
  const emailSender = read.text('EMAIL_SENDER') || null;
  if (emailSender !== null && !EMAIL.test(emailSender))
    read.problem(`EMAIL_SENDER must be an e-mail address or empty, got "${emailSender}"`);
  const smsEnabled = read.flag('SMS_ENABLED');
  const config: NotifyConfig = {
    imagesTableName,
    notificationQueueUrl,
    emailSender,
    smsEnabled,
    notificationsPerWindow: read.integer('NOTIFICATIONS_PER_WINDOW', 1, 100, 5),
    // SQS delays a message by at most 15 minutes, and the digest waits for the window's end that way.
    windowSeconds: read.integer('NOTIFICATION_WINDOW_MINUTES', 1, 15, 15) * 60,
    userPoolId: read.text('USER_POOL_ID') || null,
  };
  read.done();
  return Object.freeze(config);
}
