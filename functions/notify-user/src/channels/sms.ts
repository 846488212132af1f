import { PublishCommand } from '@aws-sdk/client-sns';
import type { Channel } from '../types';

/** E.164, as Cognito stores phone_number and SNS takes PhoneNumber. */
const E164 = /^\+[1-9][0-9]{6,14}$/;

/**
 * SMS through Amazon SNS Publish to a phone number (delivered by AWS End User Messaging SMS), to the owner's verified
 * Cognito phone number, as a transactional message.
 */
export const smsChannel: Channel = {
  name: 'sms',
  enabled: (config) => config.smsEnabled,
  recipientOf: (attributes) => {
    const phone = attributes.phone_number?.trim() ?? '';
    return attributes.phone_number_verified === 'true' && E164.test(phone) ? phone : null;
  },
  async send(to, content, { clients }) {
    const { MessageId } = await clients.sms.send(
      new PublishCommand({
        PhoneNumber: to,
        Message: content.short,
        // Transactional: routed for delivery rather than price; these are messages the owner asked for.
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
      }),
    );
    return MessageId ?? '';
  },
};
