import { createTransport, type Transporter } from 'nodemailer';

/** Sends finished MIME messages to an SMTP server (SMTP_URL, e.g. smtp://127.0.0.1:1025). */
export interface SmtpRelay {
  /** Relays one message; resolves to the server's answer. @throws the SMTP error (connection refused, rejected recipient). */
  send(envelope: { from: string; to: string[] }, eml: Buffer): Promise<string>;
  close(): void;
}

/** Creates a relay for an smtp:// or smtps:// URL (credentials in the URL are used as given). */
export function createSmtpRelay(smtpUrl: string): SmtpRelay {
  // A local relay target (MailHog, Mailpit, a test listener) rarely has a trusted certificate.
  const transporter: Transporter = createTransport(smtpUrl, { tls: { rejectUnauthorized: false } });
  return {
    async send(envelope, eml) {
      const info = await transporter.sendMail({ envelope, raw: eml });
      return String(info.response ?? '');
    },
    close: () => transporter.close(),
  };
}
