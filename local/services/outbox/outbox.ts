import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** An SNS message as it landed in the outbox. */
export interface OutboxSnsMessage {
  topicArn: string;
  messageId: string;
  subject?: string;
  message: string;
  messageStructure?: string;
  messageAttributes?: Record<string, { dataType: string; stringValue?: string; binaryValue?: string }>;
  messageGroupId?: string;
}

/** A text message SNS Publish sent to a phone number. */
export interface OutboxSms {
  messageId: string;
  phoneNumber: string;
  message: string;
  /** AWS.SNS.SMS.SMSType and the other SMS attributes the publisher set. */
  messageAttributes?: Record<string, { dataType: string; stringValue?: string }>;
}

/** What happened when the e-mail was relayed to SMTP_URL. */
export interface OutboxRelay {
  status: 'sent' | 'failed';
  at: string;
  response?: string;
  error?: string;
}

/** An e-mail as it landed in the outbox; the full MIME message is in <id>.eml. */
export interface OutboxEmail {
  messageId: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string;
  text?: string;
  html?: string;
  /** True when the caller sent a Raw MIME message. */
  raw: boolean;
  configurationSetName?: string;
  relay?: OutboxRelay;
}

/** One notification in the outbox. */
export type OutboxItem =
  | { id: string; kind: 'sns'; createdAt: string; sns: OutboxSnsMessage }
  | { id: string; kind: 'sms'; createdAt: string; sms: OutboxSms }
  | { id: string; kind: 'email'; createdAt: string; email: OutboxEmail; emlFile: string };

/** A page of the outbox, newest first. */
export interface OutboxPage {
  items: OutboxItem[];
  /** Pass back as cursor for the next (older) page; absent on the last page. */
  nextCursor?: string;
}

type NewItem =
  { kind: 'sns'; sns: OutboxSnsMessage } | { kind: 'sms'; sms: OutboxSms } | { kind: 'email'; email: OutboxEmail; eml: Buffer };

/** Ids are generated here: sortable time, a counter and randomness; anything else is refused when reading. */
const ID = /^\d{8}T\d{9}Z-\d{6}-(sns|sms|email)-[0-9a-f]{8}$/;

/** The notification outbox under <dataDir>/outbox: one JSON file per SNS message, SMS or e-mail (plus an .eml per e-mail). */
export class Outbox {
  private counter = 0;
  private readonly listeners = new Set<(item: OutboxItem) => void>();

  private constructor(readonly folder: string) {}

  /** Opens (or creates) the outbox of a data folder. */
  static async open(dataDir: string): Promise<Outbox> {
    const outbox = new Outbox(join(dataDir, 'outbox'));
    await mkdir(outbox.folder, { recursive: true });
    return outbox;
  }

  /** Stores a notification and tells the listeners (the console's live view). */
  async add(entry: NewItem): Promise<OutboxItem> {
    const now = new Date();
    this.counter = (this.counter + 1) % 1_000_000;
    const stamp = now.toISOString().replace(/[-:.]/g, '');
    const id = `${stamp}-${String(this.counter).padStart(6, '0')}-${entry.kind}-${randomBytes(4).toString('hex')}`;
    const createdAt = now.toISOString();
    const item: OutboxItem =
      entry.kind === 'sns'
        ? { id, kind: 'sns', createdAt, sns: entry.sns }
        : entry.kind === 'sms'
          ? { id, kind: 'sms', createdAt, sms: entry.sms }
          : { id, kind: 'email', createdAt, email: entry.email, emlFile: `${id}.eml` };
    if (entry.kind === 'email') await this.writeAtomic(`${id}.eml`, entry.eml);
    await this.writeAtomic(`${id}.json`, JSON.stringify(item, null, 2));
    for (const listener of this.listeners) listener(item);
    return item;
  }

  /** Records the SMTP relay outcome of an e-mail. */
  async setRelay(id: string, relay: OutboxRelay): Promise<void> {
    const item = await this.readOutboxItem(id);
    if (!item || item.kind !== 'email') return;
    item.email.relay = relay;
    await this.writeAtomic(`${id}.json`, JSON.stringify(item, null, 2));
  }

  /**
   * Lists notifications newest first, `limit` at a time (default 50), continuing before `cursor`; with `filter`, only
   * the items it accepts (the console shows a user only the messages sent to them), pages still `limit` long.
   */
  async listOutbox(options: { limit?: number; cursor?: string; filter?: (item: OutboxItem) => boolean } = {}): Promise<OutboxPage> {
    const limit = Math.max(1, Math.min(options.limit ?? 50, 1000));
    const ids = (await readdir(this.folder))
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.slice(0, -'.json'.length))
      .filter((id) => ID.test(id) && (!options.cursor || id < options.cursor))
      .sort()
      .reverse();
    if (options.filter) return this.filteredPage(ids, limit, options.filter);
    const pageIds = ids.slice(0, limit);
    const items = (await Promise.all(pageIds.map((id) => this.readOutboxItem(id)))).filter(
      (item): item is OutboxItem => item !== undefined,
    );
    return { items, ...(ids.length > limit ? { nextCursor: pageIds.at(-1) } : {}) };
  }

  // Reads newest first, a batch at a time, until one item more than a page passes the filter (so the cursor is only
  // given when another matching item exists).
  private async filteredPage(ids: string[], limit: number, filter: (item: OutboxItem) => boolean): Promise<OutboxPage> {
    const items: OutboxItem[] = [];
    for (let start = 0; start < ids.length && items.length <= limit; start += 50) {
      const batch = await Promise.all(ids.slice(start, start + 50).map((id) => this.readOutboxItem(id)));
      items.push(...batch.filter((item): item is OutboxItem => item !== undefined && filter(item)));
    }
    const page = items.slice(0, limit);
    return { items: page, ...(items.length > limit ? { nextCursor: page.at(-1)?.id } : {}) };
  }

  /** One notification by id; undefined when unknown or not an outbox id. */
  async readOutboxItem(id: string): Promise<OutboxItem | undefined> {
    if (!ID.test(id)) return undefined;
    try {
      return JSON.parse(await readFile(join(this.folder, `${id}.json`), 'utf8')) as OutboxItem;
    } catch {
      return undefined;
    }
  }

  /** The MIME message of an e-mail; undefined when unknown. */
  async readEml(id: string): Promise<Buffer | undefined> {
    if (!ID.test(id)) return undefined;
    return readFile(join(this.folder, `${id}.eml`)).catch(() => undefined);
  }

  /** Subscribes to new notifications; returns the unsubscribe function. */
  onItem(listener: (item: OutboxItem) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async writeAtomic(name: string, data: Buffer | string): Promise<void> {
    const temporary = join(this.folder, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
    await writeFile(temporary, data);
    await rename(temporary, join(this.folder, name));
  }
}
