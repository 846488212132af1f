import {
  CHANNEL_NAMES,
  DEFAULT_NOTIFICATION_PREFERENCES,
  notificationPreferencesSchema,
  notifiedSk,
  problemsOf,
  rateWindowSk,
  userPk,
} from '../../src';

describe('notification preferences', () => {
  it.each([
    { channels: ['sms'], events: ['Image Failed'] },
    { channels: ['email', 'sms'], events: ['Image Processed', 'Image Failed'] },
    { channels: [], events: [] },
  ])('accepts %j', (preferences) => {
    expect(notificationPreferencesSchema.parse(preferences)).toEqual(preferences);
  });

  it.each([
    [{ channels: ['fax'], events: [] }, 'channels[0] must be one of email, sms (got "fax")'],
    [{ channels: ['sms', 'sms'], events: [] }, 'channels must not name a channel twice'],
    [{ channels: ['email'], events: ['Image Flagged'] }, 'events[0] must be one of Image Processed, Image Failed (got "Image Flagged")'],
    [{ channels: ['email'], events: ['Image Failed'], phone: '+15550100' }, 'input has unknown fields phone (only channels and events)'],
    [{ channels: 'email', events: [] }, 'channels must be an array of channel names'],
    [{ events: [] }, 'channels must be an array of channel names'],
    ['email', 'input must be an object with channels and events'],
  ])('refuses %j with the reason', (preferences, reason) => {
    // Act
    const parsed = notificationPreferencesSchema.safeParse(preferences);

    // Assess
    expect(parsed.success).toBe(false);
    expect(problemsOf(parsed.error!).join('; ')).toContain(reason);
  });

  it('defaults to e-mail for both events a user can choose, and is itself valid', () => {
    expect(notificationPreferencesSchema.parse(DEFAULT_NOTIFICATION_PREFERENCES)).toEqual({
      channels: ['email'],
      events: ['Image Processed', 'Image Failed'],
    });
    expect(CHANNEL_NAMES).toEqual(['email', 'sms']);
  });

  it('keys every per-user item under USER#<owner>, never under an image partition', () => {
    expect(userPk('0b6c9f1e-2d4a-4c8e-9f3a-7e5d1c2b3a40')).toBe('USER#0b6c9f1e-2d4a-4c8e-9f3a-7e5d1c2b3a40');
    expect(rateWindowSk('sms', 1764072000)).toBe('RATE#sms#1764072000');
    expect(notifiedSk('email', 'Image Processed', 'a'.repeat(32), 'b'.repeat(16))).toBe(
      `NOTIFIED#email#ImageProcessed#${'a'.repeat(32)}#${'b'.repeat(16)}`,
    );
  });
});
