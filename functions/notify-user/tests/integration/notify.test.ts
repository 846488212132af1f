/**
 * The notifier's core against dynalite (an in-process DynamoDB), so the conditional counters, markers and
 * preferences are evaluated by a real DynamoDB implementation. The channel clients record what they would send.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { notifiedSk, rateWindowSk, userPk, type DigestRequest } from '@smart-image-pipeline/contracts';
import { loadConfig } from '../../src/config';
import { notifyOwner, sendDigest, type NotifyDeps, type SkipReason } from '../../src/notify';
import { parseNotificationMessage, type NotifyingEvent } from '../../src/parse-message';
import { readPreferences, writePreferences } from '../../src/preferences-store';
import type { UserAttributes } from '../../src/types';
import { NO_DIRECTORY } from '../../src/user-directory';
import { firstBody } from '../support/events';

// dynalite ships no types; this is the part of its API the test uses.
const dynalite = require('dynalite') as (options: Record<string, number>) => Server;

const OWNER = '0b6c9f1e-2d4a-4c8e-9f3a-7e5d1c2b3a40';
const VERIFIED = {
  sub: OWNER,
  email: 'ana@example.org',
  email_verified: 'true',
  phone_number: '+15555550100',
  phone_number_verified: 'true',
};

let server: Server;
let db: DynamoDBDocumentClient;
let tables = 0;

/** A fresh table (keys as the template's) per test, so tests never share counters. */
async function createTable(): Promise<string> {
  tables += 1;
  const name = `images-${tables}`;
  await db.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
      ],
    }),
  );
  return name;
}

/** Everything one test's notifier touched: sends by channel, digests queued, skips by reason, failures. */
interface Harness {
  deps: NotifyDeps;
  emails: any[];
  texts: any[];
  digests: { request: DigestRequest; delaySeconds: number }[];
  skipped: SkipReason[];
  failSends: { count: number };
  clock: { now: number };
  tableName: string;
}

async function harness(options: { attributes?: UserAttributes | null; env?: Record<string, string> } = {}): Promise<Harness> {
  const tableName = await createTable();
  const h = {
    emails: [] as any[],
    texts: [] as any[],
    digests: [] as Harness['digests'],
    skipped: [] as SkipReason[],
    failSends: { count: 0 },
    clock: { now: Date.parse('2026-11-25T12:00:07Z') },
  };
  const send = (into: any[]) => async (command: { input: unknown }) => {
    if (h.failSends.count > 0) {
      h.failSends.count -= 1;
      throw Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'TooManyRequestsException' });
    }
    into.push(command.input);
    return { MessageId: `m-${into.length}` };
  };
  const config = loadConfig({
    IMAGES_TABLE_NAME: tableName,
    NOTIFICATION_QUEUE_URL: 'q',
    EMAIL_SENDER: 'images@example.com',
    SMS_ENABLED: 'true',
    ...options.env,
  });
  const attributes = options.attributes === undefined ? VERIFIED : options.attributes;
  const deps: NotifyDeps = {
    config,
    db,
    now: () => new Date(h.clock.now),
    directory: attributes === null ? NO_DIRECTORY : { attributesOf: async (owner) => (owner === OWNER ? attributes : null) },
    clients: { email: { send: send(h.emails) as never }, sms: { send: send(h.texts) as never } },
    queueDigest: async (request, delaySeconds) => void h.digests.push({ request, delaySeconds }),
    report: { sent: () => undefined, held: () => undefined, failed: () => undefined, skipped: (reason) => void h.skipped.push(reason) },
    logger: { warn: () => undefined },
  };
  return { ...h, deps, tableName };
}

/** The events/notify-user sample event, for another image when `n` is given (each upload its own ids). */
function event(name: 'sqs-image-processed' | 'sqs-image-failed' = 'sqs-image-processed', n = 0): NotifyingEvent {
  const body = firstBody(name);
  body.detail.imageId = `${body.detail.imageId.slice(0, -4)}${n.toString(16).padStart(4, '0')}`;
  const message = parseNotificationMessage(JSON.stringify(body));
  if (message.kind !== 'event') throw new Error('not an event');
  return message.event;
}

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  );
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('notifyOwner', () => {
  it('e-mails the owner once, at the verified address, by default', async () => {
    // Prepare
    const h = await harness();

    // Act
    const outcomes = await notifyOwner(event(), h.deps);

    // Assess
    expect(outcomes).toEqual([{ channel: 'email', outcome: 'sent' }]);
    expect(h.emails).toHaveLength(1);
    expect(h.emails[0]).toMatchObject({ FromEmailAddress: 'images@example.com', Destination: { ToAddresses: ['ana@example.org'] } });
    expect(h.texts).toEqual([]);
    const { Item } = await db.send(
      new GetCommand({
        TableName: h.tableName,
        Key: { PK: userPk(OWNER), SK: notifiedSk('email', 'Image Processed', event().detail.imageId, event().detail.revision) },
      }),
    );
    expect(Item).toMatchObject({ state: 'sent', expiresAt: expect.any(Number) });
  });

  it('sends nothing more for a second delivery of the same event', async () => {
    // Prepare
    const h = await harness();
    await notifyOwner(event(), h.deps);

    // Act
    const again = await notifyOwner(event(), h.deps);

    // Assess
    expect(again).toEqual([{ channel: 'email', outcome: 'skipped', reason: 'duplicate' }]);
    expect(h.emails).toHaveLength(1);
  });

  it('never sends to an address or phone number that is not verified (issue 12, finding 3)', async () => {
    // Prepare
    const h = await harness({
      attributes: {
        sub: OWNER,
        email: 'ana@example.org',
        email_verified: 'false',
        phone_number: '+15555550100',
        phone_number_verified: 'false',
      },
    });
    await writePreferences(
      OWNER,
      { channels: ['email', 'sms'], events: ['Image Processed', 'Image Failed'] },
      { db, tableName: h.tableName },
      new Date(),
    );

    // Act
    const outcomes = await notifyOwner(event(), h.deps);

    // Assess
    expect(outcomes.map((outcome) => outcome.outcome === 'skipped' && outcome.reason)).toEqual(['unverified', 'unverified']);
    expect([...h.emails, ...h.texts]).toEqual([]);
  });

  it('reaches nobody when no user pool is configured', async () => {
    // Prepare
    const h = await harness({ attributes: null });

    // Act
    await notifyOwner(event(), h.deps);

    // Assess
    expect(h.skipped).toEqual(['unverified']);
    expect(h.emails).toEqual([]);
  });

  it('texts instead of e-mailing when the owner chose SMS, and only for the events they chose', async () => {
    // Prepare
    const h = await harness();
    await writePreferences(OWNER, { channels: ['sms'], events: ['Image Failed'] }, { db, tableName: h.tableName }, new Date());

    // Act
    const processed = await notifyOwner(event('sqs-image-processed'), h.deps);
    const failed = await notifyOwner(event('sqs-image-failed'), h.deps);

    // Assess
    expect(processed).toEqual([{ channel: null, outcome: 'skipped', reason: 'notWanted' }]);
    expect(failed).toEqual([{ channel: 'sms', outcome: 'sent' }]);
    expect(h.texts).toEqual([
      expect.objectContaining({ PhoneNumber: '+15555550100', Message: expect.stringContaining('could not be processed') }),
    ]);
    expect(h.emails).toEqual([]);
  });

  it('skips a channel the deployment turned off', async () => {
    // Prepare
    const h = await harness({ env: { SMS_ENABLED: 'false' } });
    await writePreferences(OWNER, { channels: ['sms', 'email'], events: ['Image Processed'] }, { db, tableName: h.tableName }, new Date());

    // Act
    const outcomes = await notifyOwner(event(), h.deps);

    // Assess
    expect(outcomes).toEqual([
      { channel: 'sms', outcome: 'skipped', reason: 'channelOff' },
      { channel: 'email', outcome: 'sent' },
    ]);
  });

  it('sends nothing for preferences stored in a shape it does not know', async () => {
    // Prepare
    const h = await harness();
    await db.send(
      new PutCommand({
        TableName: h.tableName,
        Item: { PK: userPk(OWNER), SK: 'PREFERENCES', preferences: { channels: ['pigeon'], events: [] } },
      }),
    );

    // Act
    const outcomes = await notifyOwner(event(), h.deps);

    // Assess
    expect(outcomes).toEqual([{ channel: null, outcome: 'skipped', reason: 'invalidPreferences' }]);
    expect(h.emails).toEqual([]);
  });

  it('sends at most the limit per window for 50 uploads, then one digest saying how many more', async () => {
    // Prepare
    const h = await harness({ env: { NOTIFICATIONS_PER_WINDOW: '5', NOTIFICATION_WINDOW_MINUTES: '15' } });
    await writePreferences(
      OWNER,
      { channels: ['sms'], events: ['Image Processed', 'Image Failed'] },
      { db, tableName: h.tableName },
      new Date(),
    );

    // Act
    const outcomes = [];
    for (let n = 0; n < 50; n += 1) outcomes.push(...(await notifyOwner(event('sqs-image-processed', n), h.deps)));
    const [digest] = h.digests;
    h.clock.now = (digest.request.windowStart + 900) * 1000 + 1000;
    const sent = await sendDigest(digest.request, h.deps);
    const again = await sendDigest(digest.request, h.deps);

    // Assess
    expect(outcomes.filter((outcome) => outcome.outcome === 'sent')).toHaveLength(5);
    expect(outcomes.filter((outcome) => outcome.outcome === 'held')).toHaveLength(45);
    expect(h.digests).toHaveLength(1);
    expect(digest.request).toEqual({ kind: 'digest', owner: OWNER, channel: 'sms', windowStart: 1795608000 });
    expect(digest.delaySeconds).toBe(900 - 7 + 1);
    expect(sent).toEqual({ channel: 'sms', outcome: 'sent' });
    expect(again).toEqual({ channel: 'sms', outcome: 'skipped', reason: 'nothingHeld' });
    expect(h.texts).toHaveLength(6);
    expect(h.texts[5].Message).toContain('45 more images finished (45 processed)');
  });

  it('starts a new allowance in the next window', async () => {
    // Prepare
    const h = await harness({ env: { NOTIFICATIONS_PER_WINDOW: '1', NOTIFICATION_WINDOW_MINUTES: '1' } });
    await notifyOwner(event('sqs-image-processed', 1), h.deps);
    await notifyOwner(event('sqs-image-processed', 2), h.deps);

    // Act
    h.clock.now += 60_000;
    const next = await notifyOwner(event('sqs-image-processed', 3), h.deps);

    // Assess
    expect(next).toEqual([{ channel: 'email', outcome: 'sent' }]);
    expect(h.emails).toHaveLength(2);
    const { Item } = await db.send(
      new GetCommand({ TableName: h.tableName, Key: { PK: userPk(OWNER), SK: rateWindowSk('email', 1795608000) } }),
    );
    expect(Item).toMatchObject({ sent: 1, heldProcessed: 1, digestQueued: true, expiresAt: 1795608000 + 60 + 86_400 });
  });

  it('gives the marker and the slot back when a send fails, so the retry sends it once', async () => {
    // Prepare
    const h = await harness({ env: { NOTIFICATIONS_PER_WINDOW: '1' } });
    h.failSends.count = 1;

    // Act
    const first = notifyOwner(event(), h.deps);
    await expect(first).rejects.toMatchObject({
      name: 'DeliveryFailedError',
      message: expect.stringContaining('TooManyRequestsException'),
    });
    const retry = await notifyOwner(event(), h.deps);

    // Assess
    expect(retry).toEqual([{ channel: 'email', outcome: 'sent' }]);
    expect(h.emails).toHaveLength(1);
  });

  it('tells nobody about an unowned image', async () => {
    // Prepare
    const h = await harness();
    const unowned = event();
    unowned.detail.owner = 'unowned';

    // Act
    const outcomes = await notifyOwner(unowned, h.deps);

    // Assess
    expect(outcomes).toEqual([{ channel: null, outcome: 'skipped', reason: 'unowned' }]);
  });
});

describe('preferences store', () => {
  it('refuses invalid preferences with the reason before writing, and reads back valid ones', async () => {
    // Prepare
    const tableName = await createTable();

    // Act
    const refused = writePreferences(OWNER, { channels: ['sms', 'fax'], events: [] }, { db, tableName }, new Date());
    await expect(refused).rejects.toMatchObject({
      name: 'InvalidPreferencesError',
      problems: ['channels[1] must be one of email, sms (got "fax")'],
    });
    const before = await readPreferences(OWNER, { db, tableName });
    await writePreferences(OWNER, { channels: ['sms'], events: ['Image Failed'] }, { db, tableName }, new Date());
    const after = await readPreferences(OWNER, { db, tableName });

    // Assess
    expect(before).toEqual({ kind: 'default', preferences: { channels: ['email'], events: ['Image Processed', 'Image Failed'] } });
    expect(after).toEqual({ kind: 'stored', preferences: { channels: ['sms'], events: ['Image Failed'] } });
  });
});
