import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { CHANNEL_NAMES, DETAIL_TYPES } from '@smart-image-pipeline/contracts';
import { mockClient } from 'aws-sdk-client-mock';
import { CHANNELS } from '../../src/channels';
import { loadConfig } from '../../src/config';
import { digestMessage, eventMessage, SMS_LIMIT } from '../../src/messages';
import { parseNotificationMessage } from '../../src/parse-message';
import { firstBody, loadSqsEvent } from '../support/events';

const ENV = {
  IMAGES_TABLE_NAME: 'images',
  NOTIFICATION_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/1/q',
  EMAIL_SENDER: 'images@example.com',
  SMS_ENABLED: 'true',
};

describe('channel registry', () => {
  it('has exactly one channel per name of the contracts list', () => {
    expect(Object.keys(CHANNELS).sort()).toEqual([...CHANNEL_NAMES].sort());
    expect(Object.entries(CHANNELS).every(([name, channel]) => channel.name === name)).toBe(true);
  });

  it.each([
    ['email', { email: 'ana@example.org', email_verified: 'true' }, 'ana@example.org'],
    ['email', { email: 'ana@example.org', email_verified: 'false' }, null],
    ['email', { email: 'ana@example.org' }, null],
    ['email', { email: 'not an address', email_verified: 'true' }, null],
    ['sms', { phone_number: '+15555550100', phone_number_verified: 'true' }, '+15555550100'],
    ['sms', { phone_number: '+15555550100', phone_number_verified: 'false' }, null],
    ['sms', { phone_number: '555-0100', phone_number_verified: 'true' }, null],
    ['sms', { email: 'ana@example.org', email_verified: 'true' }, null],
  ] as const)('%s reads %j as recipient %s: an unverified address is never one', (name, attributes, expected) => {
    expect(CHANNELS[name].recipientOf(attributes)).toBe(expected);
  });

  it('turns e-mail on with a sender and SMS with SMS_ENABLED, and nothing else', () => {
    // Act
    const off = loadConfig({ ...ENV, EMAIL_SENDER: '', SMS_ENABLED: 'false' });
    const on = loadConfig(ENV);

    // Assess
    expect([CHANNELS.email.enabled(off), CHANNELS.sms.enabled(off)]).toEqual([false, false]);
    expect([CHANNELS.email.enabled(on), CHANNELS.sms.enabled(on)]).toEqual([true, true]);
  });

  it('sends e-mail through SES v2 from the configured sender to the one recipient, as plain text', async () => {
    // Prepare
    const ses = mockClient(SESv2Client);
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const content = { subject: 'S', text: 'T', short: 'short' };

    // Act
    const id = await CHANNELS.email.send('ana@example.org', content, {
      config: loadConfig(ENV),
      clients: { email: new SESv2Client({}), sms: new SNSClient({}) },
    });

    // Assess
    expect(id).toBe('ses-1');
    expect(ses.commandCalls(SendEmailCommand)[0].args[0].input).toEqual({
      FromEmailAddress: 'images@example.com',
      Destination: { ToAddresses: ['ana@example.org'] },
      Content: { Simple: { Subject: { Data: 'S', Charset: 'UTF-8' }, Body: { Text: { Data: 'T', Charset: 'UTF-8' } } } },
    });
    ses.restore();
  });

  it('sends SMS through SNS Publish to the phone number as a transactional message of the short text', async () => {
    // Prepare
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });

    // Act
    await CHANNELS.sms.send(
      '+15555550100',
      { subject: 'S', text: 'T', short: 'short' },
      { config: loadConfig(ENV), clients: { email: new SESv2Client({}), sms: new SNSClient({}) } },
    );

    // Assess
    expect(sns.commandCalls(PublishCommand)[0].args[0].input).toEqual({
      PhoneNumber: '+15555550100',
      Message: 'short',
      MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
    });
    sns.restore();
  });
});

describe('messages', () => {
  it('tells the owner what was made of the upload, without the key, file name or run ARN', () => {
    // Prepare
    const { detail } = firstBody('sqs-image-processed');

    // Act
    const message = eventMessage(DETAIL_TYPES.processed, detail);

    // Assess
    expect(message.subject).toBe('Your image was processed');
    expect(message.text).toContain('Labels: Dog, Animal, Grass');
    expect(message.text).toContain('Sizes: 256, 1024, 2048 px');
    expect(message.text).toContain(detail.imageId);
    expect(`${message.text}${message.short}`).not.toMatch(/uploads\/|arn:|\.jpe?g/);
    expect(message.short).toBe(`Smart Image Pipeline: image ${detail.imageId.slice(0, 8)} was processed. Labels: Dog, Animal, Grass.`);
  });

  it('explains a refused file in words, and an error of ours as ours', () => {
    // Prepare
    const { detail } = firstBody('sqs-image-failed');

    // Act
    const unsupported = eventMessage(DETAIL_TYPES.failed, detail);
    const ours = eventMessage(DETAIL_TYPES.failed, { ...detail, error: { name: 'ThrottlingException' } });

    // Assess
    expect(unsupported.text).toContain('the file is not an image type we accept');
    expect(ours.text).toContain('an error on our side (ThrottlingException)');
  });

  it('keeps every SMS to one GSM-7 part', () => {
    // Prepare
    const { detail } = firstBody('sqs-image-processed');
    const longLabels = {
      ...detail,
      labels: Array.from({ length: 10 }, (_, i) => ({ name: `Ünïcødé label number ${i} 😀`, confidence: 90 })),
    };

    // Act
    const short = eventMessage(DETAIL_TYPES.processed, longLabels).short;

    // Assess
    expect(short.length).toBeLessThanOrEqual(SMS_LIMIT);
    expect(short).toMatch(/^[\x20-\x7e]*$/);
  });

  it('sums up what a full window held back', () => {
    // Act
    const digest = digestMessage({ processed: 44, failed: 1, windowStart: 1764072000, windowSeconds: 900 });

    // Assess
    expect(digest.subject).toBe('45 more of your images finished');
    expect(digest.text).toContain('44 processed, 1 failed');
    expect(digest.short.length).toBeLessThanOrEqual(SMS_LIMIT);
  });
});

describe('queue messages', () => {
  it.each(['sqs-image-processed', 'sqs-image-failed', 'sqs-digest'] as const)('reads events/notify-user/%s.json', (name) => {
    expect(parseNotificationMessage(loadSqsEvent(name).Records[0].body).kind).toBe(name === 'sqs-digest' ? 'digest' : 'event');
  });

  it.each([
    ['text that is not JSON', 'not json', 'The message body is not JSON'],
    ['an event of another source', JSON.stringify({ ...firstBody('sqs-image-processed'), source: 'aws.s3' }), 'Not a pipeline event'],
    [
      'an Image Flagged event',
      JSON.stringify({
        ...firstBody('sqs-image-processed'),
        'detail-type': 'Image Flagged',
        detail: { ...firstBody('sqs-image-processed').detail },
      }),
      'Not a pipeline event',
    ],
    [
      'a digest for an unknown channel',
      JSON.stringify({ kind: 'digest', owner: 'x', channel: 'fax', windowStart: 1 }),
      'Not a pipeline event',
    ],
  ])('refuses %s with the reason', (_what, body, reason) => {
    expect(() => parseNotificationMessage(body)).toThrow(
      expect.objectContaining({ name: 'UnreadableNotificationMessageError', message: expect.stringContaining(reason) }),
    );
  });
});

describe('config', () => {
  it('names every missing or invalid variable', () => {
    expect(() =>
      loadConfig({ EMAIL_SENDER: 'nobody', NOTIFICATIONS_PER_WINDOW: '0', NOTIFICATION_WINDOW_MINUTES: '60', SMS_ENABLED: 'yes' }),
    ).toThrow(
      expect.objectContaining({
        name: 'ConfigurationError',
        problems: [
          'IMAGES_TABLE_NAME is required',
          'NOTIFICATION_QUEUE_URL is required',
          'EMAIL_SENDER must be an e-mail address or empty, got "nobody"',
          'SMS_ENABLED must be true or false, got "yes"',
          'NOTIFICATIONS_PER_WINDOW must be an integer from 1 to 100, got "0"',
          'NOTIFICATION_WINDOW_MINUTES must be an integer from 1 to 15, got "60"',
        ],
      }),
    );
  });

  it('defaults to 5 messages per 15 minutes, e-mail and SMS off, no user pool', () => {
    expect(loadConfig({ IMAGES_TABLE_NAME: 't', NOTIFICATION_QUEUE_URL: 'q' })).toEqual({
      imagesTableName: 't',
      notificationQueueUrl: 'q',
      emailSender: null,
      smsEnabled: false,
      notificationsPerWindow: 5,
      windowSeconds: 900,
      userPoolId: null,
    });
  });
});
