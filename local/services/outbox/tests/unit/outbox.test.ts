import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox } from '../../outbox';

describe('Outbox', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sip-outbox-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('pages newest first with a cursor and survives reopening', async () => {
    // Prepare
    const outbox = await Outbox.open(dataDir);
    for (let index = 0; index < 5; index += 1) {
      await outbox.add({
        kind: 'sns',
        sns: { topicArn: 'arn:aws:sns:us-east-1:000000000000:t', messageId: `m${index}`, message: `message ${index}` },
      });
    }

    // Act
    const reopened = await Outbox.open(dataDir);
    const first = await reopened.listOutbox({ limit: 2 });
    const second = await reopened.listOutbox({ limit: 2, cursor: first.nextCursor });
    const third = await reopened.listOutbox({ limit: 2, cursor: second.nextCursor });

    // Assess
    const messages = [...first.items, ...second.items, ...third.items].map((item) => (item.kind === 'sns' ? item.sns.message : ''));
    expect(messages).toEqual(['message 4', 'message 3', 'message 2', 'message 1', 'message 0']);
    expect(third.nextCursor).toBeUndefined();
  });

  it('pages only the items a filter accepts, full pages across read batches, and no cursor after the last match', async () => {
    // Prepare: 130 texts, every third to one phone (more than one 50-file read batch between some pages)
    const outbox = await Outbox.open(dataDir);
    for (let index = 0; index < 130; index += 1) {
      await outbox.add({
        kind: 'sms',
        sms: { messageId: `m${index}`, phoneNumber: index % 3 === 0 ? '+15555550100' : '+15555550101', message: `${index}` },
      });
    }
    const mine = (item: { kind: string; sms?: { phoneNumber: string } }) => item.kind === 'sms' && item.sms?.phoneNumber === '+15555550100';

    // Act
    const pages = [];
    let cursor: string | undefined;
    do {
      const page = await outbox.listOutbox({ limit: 20, cursor, filter: mine });
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor);

    // Assess
    const messages = pages.flatMap((page) => page.items.map((item) => (item.kind === 'sms' ? Number(item.sms.message) : -1)));
    expect(pages.map((page) => page.items.length)).toEqual([20, 20, 4]);
    expect(messages).toEqual(Array.from({ length: 44 }, (_, index) => 129 - index * 3));
  });

  it('refuses ids that are not outbox ids, such as paths', async () => {
    // Prepare
    const outbox = await Outbox.open(dataDir);

    // Act
    const item = await outbox.readOutboxItem('../../etc/passwd');
    const eml = await outbox.readEml('../outbox');

    // Assess
    expect(item).toBeUndefined();
    expect(eml).toBeUndefined();
  });
});
