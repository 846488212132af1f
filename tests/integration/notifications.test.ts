import type { NotificationPreferences } from '@smart-image-pipeline/contracts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { FaultConfig } from '../../local/edge/faults';
import type { OutboxItem } from '../../local/services/outbox/outbox';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { waitFor } from '../../console/tests/support/wait-for';
import { callApi, createWebUser, uploadAs, type WebUser } from './support/web-users';

// Issue 12's end-to-end checks through the whole local stack: uploads through the web app's API, the real state
// machine and handlers, the template's bus and rules, the notification queue and the notifier, with the owners'
// addresses in the local user pool. Every assertion reads what a user would get: the local SES/SNS outbox.
jest.setTimeout(900_000);

const LIMIT = 5;
const WINDOW_SECONDS = 60;
const BULK_UPLOADS = 50;
/** An origin the user pool accepts as the callback of the signed-in test users (nothing listens there). */
const WEB_ORIGIN = 'http://127.0.0.1:9';

let dataDir: string;
let stack: LocalStack;
/** Switched on only for the refused-channel case; the edge reads it on every request. */
const faults: FaultConfig = {};
/** How far the local queues' clock runs ahead of the wall clock (moved only once no message is held for a window). */
let queueClockAheadMs = 0;

/** A distinct PNG under 80 px a side: ResizeImage marks it too small for Rekognition, so it succeeds without vision models. */
function smallPng(seed: number): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: { r: (seed * 37) % 256, g: (seed * 91) % 256, b: 128 } } })
    .png()
    .toBuffer();
}

async function outboxItems(): Promise<OutboxItem[]> {
  return (await stack.services.outbox.listOutbox({ limit: 1000 })).items;
}

const emailsTo = (items: OutboxItem[], address: string) =>
  items.flatMap((item) => (item.kind === 'email' && item.email.to.includes(address) ? [{ createdAt: item.createdAt, ...item.email }] : []));
const textsTo = (items: OutboxItem[], phone: string) =>
  items.flatMap((item) => (item.kind === 'sms' && item.sms.phoneNumber === phone ? [{ createdAt: item.createdAt, ...item.sms }] : []));

async function choose(user: WebUser, preferences: NotificationPreferences): Promise<void> {
  const answer = await callApi<{ preferences: NotificationPreferences }>(stack, user, 'PUT', '/me/preferences', preferences);
  expect(answer.preferences).toEqual(preferences);
}

async function imagesOf(user: WebUser): Promise<Array<{ imageId: string; status: string }>> {
  return (await callApi<{ items: Array<{ imageId: string; status: string }> }>(stack, user, 'GET', '/images?limit=100')).items;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sip-notify-'));
  stack = await startLocalStack({
    dataDir,
    edgePort: 0,
    apiPort: 0,
    authPort: 0,
    concurrency: 2,
    withVision: false,
    asyncRetryDelayMs: 50,
    allowedOrigins: [WEB_ORIGIN],
    faults,
    queueClock: () => Date.now() + queueClockAheadMs,
    parameterOverrides: {
      NotificationEmailSender: 'images@example.com',
      SmsEnabled: 'true',
      NotificationsPerWindow: String(LIMIT),
      NotificationWindowMinutes: String(WINDOW_SECONDS / 60),
    },
  });
});

afterAll(async () => {
  await stack?.stop();
  if (dataDir && !process.env.KEEP_DATA) await rm(dataDir, { recursive: true, force: true });
});

describe('notification preferences through the API', () => {
  it('start at the default, take a valid choice, and refuse an invalid one with every reason, keeping the stored one', async () => {
    // Prepare
    const user = await createWebUser(stack, 'prefs@example.com', { redirectUri: `${WEB_ORIGIN}/` });

    // Act
    const before = await callApi<{ source: string; preferences: NotificationPreferences }>(stack, user, 'GET', '/me/preferences');
    await choose(user, { channels: ['sms'], events: ['Image Failed'] });
    const refused = callApi(stack, user, 'PUT', '/me/preferences', { channels: ['sms', 'pigeon'], events: [], extra: 1 });
    const after = await refused.catch(() =>
      callApi<{ source: string; preferences: NotificationPreferences }>(stack, user, 'GET', '/me/preferences'),
    );

    // Assess
    expect(before).toEqual({ source: 'default', preferences: { channels: ['email'], events: ['Image Processed', 'Image Failed'] } });
    await expect(refused).rejects.toThrow(/answered 400: .*pigeon.*extra|answered 400: .*extra.*pigeon/);
    expect(after).toEqual({ source: 'stored', preferences: { channels: ['sms'], events: ['Image Failed'] } });
  });
});

describe('50 uploads by one user', () => {
  it('send at most the rate limit per channel and window, and one digest per window sums up the rest', async () => {
    // Prepare
    const phone = '+12025550150';
    const user = await createWebUser(stack, 'bulk@example.com', {
      redirectUri: `${WEB_ORIGIN}/`,
      phone: { number: phone, verified: true },
    });
    await choose(user, { channels: ['email', 'sms'], events: ['Image Processed', 'Image Failed'] });
    const images = await Promise.all(Array.from({ length: BULK_UPLOADS }, (_, index) => smallPng(index)));

    // Act
    const startedAt = Date.now();
    for (const [index, bytes] of images.entries()) await uploadAs(stack, user, `bulk-${index}.png`, bytes, 'image/png');
    await stack.waitForIdle();
    const handledAt = Date.now();
    const windows = Math.floor(handledAt / 1000 / WINDOW_SECONDS) - Math.floor(startedAt / 1000 / WINDOW_SECONDS) + 1;
    // The digests wait for their window's end (an SQS delay on the wall clock): up to a window and a second more.
    const delivered = await waitFor(
      async () => {
        const items = await outboxItems();
        const perChannel = { email: emailsTo(items, user.email), sms: textsTo(items, phone) };
        const counted = (messages: Array<{ subject?: string; message?: string }>) =>
          messages.reduce((sum, message) => sum + (digestCount(message.subject ?? message.message ?? '') ?? 1), 0);
        return counted(perChannel.email) === BULK_UPLOADS && counted(perChannel.sms) === BULK_UPLOADS ? perChannel : undefined;
      },
      { what: 'every upload told by a message or counted in a digest, on both channels', timeoutMs: 240_000, intervalMs: 1000 },
    );

    // Assess
    const statuses = (await imagesOf(user)).map((image) => image.status);
    expect(statuses).toEqual(Array.from({ length: BULK_UPLOADS }, () => 'SUCCEEDED'));
    // The test means something only while the uploads fit in fewer windows than it takes to send all 50 unlimited.
    expect(windows * LIMIT).toBeLessThan(BULK_UPLOADS);
    const emailDigests = delivered.email.filter((message) => digestCount(message.subject) !== undefined);
    const textDigests = delivered.sms.filter((message) => digestCount(message.message) !== undefined);
    expect(delivered.email.length - emailDigests.length).toBeLessThanOrEqual(windows * LIMIT);
    expect(delivered.sms.length - textDigests.length).toBeLessThanOrEqual(windows * LIMIT);
    expect(emailDigests.length).toBeGreaterThanOrEqual(1);
    expect(emailDigests.length).toBeLessThanOrEqual(windows);
    expect(textDigests.length).toBeGreaterThanOrEqual(1);
    expect(textDigests.length).toBeLessThanOrEqual(windows);
    expect(delivered.email.length + delivered.sms.length).toBeLessThanOrEqual(2 * windows * (LIMIT + 1));
    for (const digest of emailDigests) {
      // A digest goes out only after the window it sums up has ended, so it misses nothing of that window.
      expect(Date.parse(digest.createdAt)).toBeGreaterThanOrEqual(windowEndNamedIn(digest.text ?? ''));
      expect(digest.text).toMatch(/processed/);
    }
    for (const text of delivered.sms) expect(text.message.length).toBeLessThanOrEqual(160);
  });
});

describe('each owner is told as they chose', () => {
  it('texts the one who chose SMS, mails the one who kept e-mail, and tells nobody who opted out or has no verified phone', async () => {
    // Prepare
    const redirectUri = `${WEB_ORIGIN}/`;
    const texted = await createWebUser(stack, 'sms@example.com', { redirectUri, phone: { number: '+12025550111', verified: true } });
    const mailed = await createWebUser(stack, 'mail@example.com', { redirectUri, phone: { number: '+12025550122', verified: true } });
    const optedOut = await createWebUser(stack, 'quiet@example.com', { redirectUri, phone: { number: '+12025550133', verified: true } });
    const unverified = await createWebUser(stack, 'unverified@example.com', {
      redirectUri,
      phone: { number: '+12025550144', verified: false },
    });
    await choose(texted, { channels: ['sms'], events: ['Image Processed', 'Image Failed'] });
    // `mailed` has no preferences item: the default is e-mail to the verified address.
    await choose(optedOut, { channels: [], events: ['Image Processed', 'Image Failed'] });
    await choose(unverified, { channels: ['sms'], events: ['Image Processed', 'Image Failed'] });
    const before = new Set((await outboxItems()).map((item) => item.id));

    // Act
    for (const [index, user] of [texted, mailed, optedOut, unverified].entries())
      await uploadAs(stack, user, `choice-${index}.png`, await smallPng(100 + index), 'image/png');
    await stack.waitForIdle();
    const items = await waitFor(
      async () => {
        const fresh = (await outboxItems()).filter((item) => !before.has(item.id));
        return fresh.length >= 2 ? fresh : undefined;
      },
      { what: 'the SMS and the e-mail', intervalMs: 500 },
    );
    // Anything wrongly sent to the others would have been sent in the same batches; give a straggler a moment anyway.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const after = (await outboxItems()).filter((item) => !before.has(item.id));

    // Assess
    expect(items.length).toBeGreaterThanOrEqual(2);
    expect(textsTo(after, '+12025550111')).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^Smart Image Pipeline: image [0-9a-f]{8} was processed\./) }),
    ]);
    expect(emailsTo(after, texted.email)).toEqual([]);
    expect(emailsTo(after, mailed.email)).toEqual([
      expect.objectContaining({ subject: 'Your image was processed', from: 'images@example.com' }),
    ]);
    expect(textsTo(after, '+12025550122')).toEqual([]);
    expect(after).toHaveLength(2);
    for (const user of [texted, mailed, optedOut, unverified])
      expect((await imagesOf(user)).map((image) => image.status)).toEqual(['SUCCEEDED']);
    const events = (await stack.services.eventing.events.listEvents({ limit: 100 })).items;
    for (const user of [texted, mailed, optedOut, unverified]) {
      const own = events.filter((archived) => (archived.event.detail as { owner?: string }).owner === user.sub);
      expect(own.map((archived) => archived.event['detail-type'])).toEqual(['Image Processed']);
      expect(own[0].deliveries).toEqual(
        expect.arrayContaining([expect.objectContaining({ rule: expect.stringContaining('NotifyOwnerRule'), outcome: 'delivered' })]),
      );
    }
  });

  it('parks a notification SES refuses in the notification DLQ after the queue retries, and the image stays SUCCEEDED', async () => {
    // Prepare
    const user = await createWebUser(stack, 'refused@example.com', { redirectUri: `${WEB_ORIGIN}/` });
    const queue = stack.app.queues.find((entry) => entry.logicalId === 'NotificationQueue');
    const deadLetters = stack.app.queues.find((entry) => entry.logicalId === 'NotificationDeadLetterQueue');
    if (!queue || !deadLetters) throw new Error('the template declares no NotificationQueue/NotificationDeadLetterQueue');
    const sqs = stack.services.eventing.sqs;
    expect(sqs.counts(deadLetters.arn)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    faults.sesReject = 1;

    // Act
    try {
      await uploadAs(stack, user, 'refused.png', await smallPng(200), 'image/png');
      await stack.waitForIdle();
      // Each failed delivery returns after the queue's visibility timeout (180 s); the queues' clock skips that wait.
      await waitFor(
        async () => {
          if (sqs.counts(deadLetters.arn).visible > 0) return true;
          if (sqs.counts(queue.arn).inFlight > 0 && !stack.services.eventing.isBusy())
            queueClockAheadMs += (queue.visibilityTimeout ?? 30) * 1000;
          return undefined;
        },
        { what: 'the refused notification in the DLQ', timeoutMs: 120_000, intervalMs: 500 },
      );
    } finally {
      faults.sesReject = 0;
    }

    // Assess
    const parked = sqs.peek(deadLetters.arn);
    expect(parked).toHaveLength(1);
    const event = JSON.parse(parked[0].body) as { 'detail-type': string; detail: { owner: string; imageId: string } };
    expect(event['detail-type']).toBe('Image Processed');
    expect(event.detail.owner).toBe(user.sub);
    expect(parked[0].receiveCount).toBe(queue.maxReceiveCount);
    expect(await imagesOf(user)).toEqual([expect.objectContaining({ imageId: event.detail.imageId, status: 'SUCCEEDED' })]);
    expect(emailsTo(await outboxItems(), user.email)).toEqual([]);
  });
});

/** The count a digest names ("12 more of your images finished", "Smart Image Pipeline: 12 more images finished"). */
function digestCount(text: string): number | undefined {
  const match = /(\d+) more (?:of your )?images finished/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** The end of the window a digest e-mail names ("between 2026-12-05 19:10 UTC and 19:11 UTC"), epoch milliseconds. */
function windowEndNamedIn(text: string): number {
  const match = /between (\d{4}-\d\d-\d\d) (\d\d:\d\d) UTC and (\d\d:\d\d) UTC/.exec(text);
  if (!match) throw new Error(`no window in the digest: ${text}`);
  const end = Date.parse(`${match[1]}T${match[3]}:00Z`);
  // A window ending at midnight names 00:00 of the next day.
  return end <= Date.parse(`${match[1]}T${match[2]}:00Z`) ? end + 86_400_000 : end;
}
