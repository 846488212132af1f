import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Channel } from '../types';

/** A plain address: one @, no spaces or brackets (SES validates it again). */
const ADDRESS = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]{2,}$/;

/** E-mail through SES v2, from EMAIL_SENDER to the owner's verified Cognito e-mail, plain text only. */
export const emailChannel: Channel = {
  name: 'email',
  enabled: (config) => config.emailSender !== null,
  recipientOf: (attributes) => {
    const address = attributes.email?.trim() ?? '';
    return attributes.email_verified === 'true' && address.length <= 254 && ADDRESS.test(address) ? address : null;
  },
  async send(to, content, { config, clients }) {
    const { MessageId } = await clients.email.send(
      new SendEmailCommand({
        FromEmailAddress: config.emailSender ?? undefined,
        Destination: { ToAddresses: [to] },
        Content: {
          Simple: { Subject: { Data: content.subject, Charset: 'UTF-8' }, Body: { Text: { Data: content.text, Charset: 'UTF-8' } } },
        },
      }),
    );
    return MessageId ?? '';
  },
};
