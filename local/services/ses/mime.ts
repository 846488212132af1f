import MailComposer from 'nodemailer/lib/mail-composer';

/** The parts of a Simple SendEmail that make up the MIME message. */
export interface SimpleEmail {
  messageId: string;
  from: string;
  to: string[];
  cc: string[];
  replyTo: string[];
  subject: string;
  text?: string;
  html?: string;
  headers?: { name: string; value: string }[];
}

/** Builds the RFC 5322 message SES would send for Simple content (Bcc stays out of the headers). */
export async function composeSimpleEmail(email: SimpleEmail): Promise<Buffer> {
  const composer = new MailComposer({
    from: email.from,
    to: email.to,
    cc: email.cc.length ? email.cc : undefined,
    replyTo: email.replyTo.length ? email.replyTo : undefined,
    subject: email.subject,
    text: email.text,
    html: email.html,
    messageId: `<${email.messageId}@email.local>`,
    date: new Date(),
    headers: email.headers?.map((header) => ({ key: header.name, value: header.value })),
  });
  return new Promise<Buffer>((resolve, reject) => composer.compile().build((error, message) => (error ? reject(error) : resolve(message))));
}

/** Reads the unfolded top-level headers of a raw MIME message (names lower-cased, first value wins). */
export function readRawHeaders(raw: Buffer): Record<string, string> {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const block = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 1) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] ??= line.slice(colon + 1).trim();
  }
  return headers;
}

/** Splits an address header ("A <a@x>, b@y") into addresses. */
export function splitAddresses(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** The bare address of "Name <a@x>" or "a@x". */
export function bareAddress(address: string): string {
  const angle = /<([^>]+)>/.exec(address);
  return (angle ? angle[1] : address).trim();
}
