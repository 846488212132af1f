import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { SMTPServer } from 'smtp-server';
import { startEdgeServer, type EdgeServer } from '../../../../edge/server';
import { edgeClientConfig } from '../../../../edge/tests/support/edge-client';
import { Outbox } from '../../../outbox/outbox';
import { createSesService, type LocalSesService } from '../../ses-service';

interface Received {
  from: string;
  to: string[];
  data: string;
}

/** A real SMTP listener on a free port that records what it receives. */
async function startSmtpListener(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          data: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('local SES v2 through the edge', () => {
  let dataDir: string;
  let outbox: Outbox;
  let ses: LocalSesService;
  let edge: EdgeServer;
  let client: SESv2Client;
  let smtp: Awaited<ReturnType<typeof startSmtpListener>>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sip-ses-'));
    smtp = await startSmtpListener();
    outbox = await Outbox.open(dataDir);
    ses = createSesService({ outbox, smtpUrl: smtp.url });
    edge = await startEdgeServer({ port: 0, services: [ses], faults: {} });
    client = new SESv2Client(edgeClientConfig(edge.url));
  });
  afterAll(async () => {
    client.destroy();
    ses.close();
    await edge.close();
    await smtp.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stores a Simple e-mail as JSON and .eml and relays it to SMTP', async () => {
    // Act
    const sent = await client.send(
      new SendEmailCommand({
        FromEmailAddress: 'pipeline@example.com',
        Destination: { ToAddresses: ['someone@example.com'], BccAddresses: ['audit@example.com'] },
        Content: {
          Simple: {
            Subject: { Data: 'Your image is ready' },
            Body: { Text: { Data: 'Labels: Dog, Animal' }, Html: { Data: '<p>Labels: <b>Dog</b></p>' } },
          },
        },
      }),
    );
    await ses.drainRelays();
    const [item] = (await outbox.listOutbox({ limit: 1 })).items;
    const eml = (await outbox.readEml(item.id))!.toString('utf8');

    // Assess
    expect(sent.MessageId).toBeTruthy();
    expect(item).toMatchObject({
      kind: 'email',
      email: { messageId: sent.MessageId, subject: 'Your image is ready', to: ['someone@example.com'], relay: { status: 'sent' } },
    });
    expect(eml).toContain('Subject: Your image is ready');
    expect(eml).not.toContain('audit@example.com');
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].to.sort()).toEqual(['audit@example.com', 'someone@example.com']);
    expect(smtp.received[0].data).toContain('Labels: Dog, Animal');
  });

  it('stores a Raw e-mail byte-exact and reads its headers', async () => {
    // Prepare
    const raw = Buffer.from(
      'From: a@example.com\r\nTo: b@example.com, "C, D" <c@example.com>\r\nSubject: raw test\r\n\r\nbody ✓\r\n',
      'utf8',
    );

    // Act
    await client.send(new SendEmailCommand({ Content: { Raw: { Data: raw } } }));
    await ses.drainRelays();
    const [item] = (await outbox.listOutbox({ limit: 1 })).items;

    // Assess
    expect(item).toMatchObject({
      kind: 'email',
      email: { raw: true, subject: 'raw test', from: 'a@example.com', to: ['b@example.com', '"C, D" <c@example.com>'] },
    });
    expect((await outbox.readEml(item.id))!.equals(raw)).toBe(true);
  });

  it('refuses an e-mail without recipients with BadRequestException', async () => {
    // Act
    const attempt = client.send(
      new SendEmailCommand({
        FromEmailAddress: 'a@example.com',
        Destination: {},
        Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
      }),
    );

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'BadRequestException' });
  });
});
