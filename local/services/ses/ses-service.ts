import { randomUUID } from 'node:crypto';
import { AwsServiceError } from '../../edge/aws-error';
import { restJsonProtocol } from '../../edge/protocols/rest-json';
import type { EdgeRequest, EdgeResponse, EdgeService } from '../../edge/types';
import type { Outbox, OutboxEmail } from '../outbox/outbox';
import { bareAddress, composeSimpleEmail, readRawHeaders, splitAddresses } from './mime';
import { createSmtpRelay, type SmtpRelay } from './smtp-relay';

/** Options of the local SES v2. */
export interface SesServiceOptions {
  outbox: Outbox;
  /** Relay every e-mail to this SMTP server too (env SMTP_URL); unset keeps mail in the outbox only. */
  smtpUrl?: string;
}

/** SendEmail input as the SES v2 API takes it (the JSON body; Raw.Data is base64 on the wire). */
export interface SesSendEmailInput {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  ReplyToAddresses?: string[];
  ConfigurationSetName?: string;
  Content: {
    Simple?: {
      Subject: { Data: string; Charset?: string };
      Body: { Text?: { Data: string }; Html?: { Data: string } };
      Headers?: { Name: string; Value: string }[];
    };
    Raw?: { Data: string | Uint8Array };
    Template?: unknown;
  };
}

/** SES v2's REST-JSON protocol; its errors are BadRequestException, MessageRejected and NotFoundException. */
const SES_JSON = restJsonProtocol({ invalidBodyCode: 'BadRequestException' });

/** The local SES v2: an edge service plus the API for Step Functions' SDK integration. */
export interface LocalSesService extends EdgeService {
  /** Writes the e-mail to the outbox (JSON plus .eml) and relays it when SMTP_URL is set. @throws AwsServiceError BadRequestException. */
  sendEmail(input: SesSendEmailInput): Promise<{ MessageId: string }>;
  /** Resolves when every relay started so far has finished (tests, CLI exit). */
  drainRelays(): Promise<void>;
  /** Closes the SMTP connection pool. */
  close(): void;
}

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+$/;
/** SES's limit for a whole message. */
const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

/** Creates the local SES v2 (SendEmail with Simple or Raw content at POST /v2/email/outbound-emails). */
export function createSesService(options: SesServiceOptions): LocalSesService {
  const relay: SmtpRelay | undefined = options.smtpUrl ? createSmtpRelay(options.smtpUrl) : undefined;
  const relays = new Set<Promise<void>>();

  const sendEmail = async (input: SesSendEmailInput): Promise<{ MessageId: string }> => {
    const messageId = `${Date.now().toString(16)}-${randomUUID()}-000000`;
    const { email, eml } = input.Content?.Raw ? await fromRaw(input, messageId) : await fromSimple(input, messageId);
    if (eml.length > MAX_MESSAGE_BYTES) throw new AwsServiceError('MessageRejected', 400, 'Message length is more than 40 MB');
    const item = await options.outbox.add({ kind: 'email', email, eml });
    if (relay) {
      const recipients = [...email.to, ...email.cc, ...email.bcc].map(bareAddress);
      const run = relay
        .send({ from: bareAddress(email.from), to: recipients }, eml)
        .then(
          (response) => options.outbox.setRelay(item.id, { status: 'sent', at: new Date().toISOString(), response }),
          (error: unknown) => options.outbox.setRelay(item.id, { status: 'failed', at: new Date().toISOString(), error: String(error) }),
        )
        .finally(() => relays.delete(run));
      relays.add(run);
    }
    return { MessageId: messageId };
  };

  return {
    name: 'ses',
    protocol: SES_JSON,
    matches: (req) => req.signingService === 'ses' && req.url.pathname.startsWith('/v2/email/'),
    handle: (req) => handleSes(req, sendEmail),
    sendEmail,
    drainRelays: async () => {
      while (relays.size > 0) await Promise.all([...relays]);
    },
    close: () => relay?.close(),
  };
}

async function handleSes(req: EdgeRequest, sendEmail: LocalSesService['sendEmail']): Promise<EdgeResponse> {
  if (req.method !== 'POST' || req.url.pathname !== '/v2/email/outbound-emails') {
    throw new AwsServiceError(
      'NotFoundException',
      404,
      `Local SES v2 implements only SendEmail (POST /v2/email/outbound-emails), not ${req.method} ${req.url.pathname}`,
    );
  }
  return SES_JSON.ok(await sendEmail(SES_JSON.parseBody(req) as SesSendEmailInput));
}

function checkAddresses(field: string, addresses: string[]): void {
  for (const address of addresses) {
    if (!ADDRESS.test(bareAddress(address)))
      throw new AwsServiceError('BadRequestException', 400, `Invalid email address in ${field}: ${address}`);
  }
}

async function fromSimple(input: SesSendEmailInput, messageId: string): Promise<{ email: OutboxEmail; eml: Buffer }> {
  const simple = input.Content?.Simple;
  if (!simple) {
    throw new AwsServiceError(
      'BadRequestException',
      400,
      input.Content?.Template ? 'Template content is not supported by local SES; use Simple or Raw' : 'Content must have Simple or Raw',
    );
  }
  const from = input.FromEmailAddress ?? '';
  const to = input.Destination?.ToAddresses ?? [];
  const cc = input.Destination?.CcAddresses ?? [];
  const bcc = input.Destination?.BccAddresses ?? [];
  const replyTo = input.ReplyToAddresses ?? [];
  if (!from) throw new AwsServiceError('BadRequestException', 400, 'FromEmailAddress is required for Simple content');
  if (to.length + cc.length + bcc.length === 0)
    throw new AwsServiceError('BadRequestException', 400, 'Destination must have at least one address');
  if (to.length + cc.length + bcc.length > 50) throw new AwsServiceError('MessageRejected', 400, 'Recipient count exceeds 50');
  checkAddresses('FromEmailAddress', [from]);
  checkAddresses('Destination', [...to, ...cc, ...bcc]);
  if (!simple.Subject?.Data && simple.Subject?.Data !== '') throw new AwsServiceError('BadRequestException', 400, 'Subject is required');
  const text = simple.Body?.Text?.Data;
  const html = simple.Body?.Html?.Data;
  const headers = simple.Headers?.map((header) => ({ name: header.Name, value: header.Value }));
  const eml = await composeSimpleEmail({ messageId, from, to, cc, replyTo, subject: simple.Subject.Data, text, html, headers });
  return {
    email: {
      messageId,
      from,
      to,
      cc,
      bcc,
      replyTo,
      subject: simple.Subject.Data,
      text,
      html,
      raw: false,
      ...(input.ConfigurationSetName ? { configurationSetName: input.ConfigurationSetName } : {}),
    },
    eml,
  };
}

async function fromRaw(input: SesSendEmailInput, messageId: string): Promise<{ email: OutboxEmail; eml: Buffer }> {
  const data = input.Content.Raw?.Data ?? '';
  const eml = typeof data === 'string' ? Buffer.from(data, 'base64') : Buffer.from(data);
  if (eml.length === 0) throw new AwsServiceError('BadRequestException', 400, 'Raw.Data is empty');
  const headers = readRawHeaders(eml);
  const from = input.FromEmailAddress ?? headers.from ?? '';
  if (!from) throw new AwsServiceError('BadRequestException', 400, 'No From address in FromEmailAddress or the raw message');
  const to = input.Destination?.ToAddresses ?? splitAddresses(headers.to);
  const cc = input.Destination?.CcAddresses ?? splitAddresses(headers.cc);
  const bcc = input.Destination?.BccAddresses ?? splitAddresses(headers.bcc);
  if (to.length + cc.length + bcc.length === 0)
    throw new AwsServiceError('BadRequestException', 400, 'No recipients in Destination or the raw message');
  checkAddresses('FromEmailAddress', [from]);
  checkAddresses('Destination', [...to, ...cc, ...bcc]);
  return {
    email: {
      messageId,
      from,
      to,
      cc,
      bcc,
      replyTo: splitAddresses(headers['reply-to']),
      subject: headers.subject ?? '',
      raw: true,
      ...(input.ConfigurationSetName ? { configurationSetName: input.ConfigurationSetName } : {}),
    },
    eml,
  };
}
