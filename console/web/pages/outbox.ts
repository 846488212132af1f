import { isImageId } from '@smart-image-pipeline/contracts/browser';
import { showLocalLog } from '../local-pages';
import { h, jsonBlock, replaceChildren, type Child } from '../dom';
import { formatTime } from '../format';
import { hashLink, type Page } from '../router';

type OutboxItem = Record<string, unknown>;

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((entry) => typeof entry === 'string').join(', ') || undefined;
  return undefined;
}

function pick(item: OutboxItem, ...names: string[]): unknown {
  for (const name of names) {
    const path = name.split('.');
    let value: unknown = item;
    for (const part of path) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

/** The message body as readable text: pretty JSON when it is JSON, else the text itself (never HTML). */
function bodyText(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value, null, 2);
  try {
    return JSON.stringify(JSON.parse(value), null, 2);
  } catch {
    return value;
  }
}

/** A title for an SNS message without a subject: the pipeline's notification type and the file it is about. */
function notificationTitle(message: unknown): string | undefined {
  try {
    const parsed = (typeof message === 'string' ? JSON.parse(message) : message) as { type?: unknown; source?: { key?: unknown } } | null;
    if (typeof parsed?.type !== 'string') return undefined;
    const key = typeof parsed.source?.key === 'string' ? parsed.source.key : '';
    return key ? `${parsed.type}: ${key.slice(key.lastIndexOf('/') + 1)}` : parsed.type;
  } catch {
    return undefined;
  }
}

/** Links to the image and run a message is about: from the JSON notification, else found in the e-mail text. */
function linksFor(message: unknown): Child[] {
  let parsed: { imageId?: unknown; executionArn?: unknown } | undefined;
  try {
    parsed = typeof message === 'string' ? JSON.parse(message) : (message as typeof parsed);
  } catch {
    parsed = undefined;
  }
  const raw = typeof message === 'string' ? message : '';
  const imageId = typeof parsed?.imageId === 'string' ? parsed.imageId : /\bimage ([0-9a-f]{32})\b/.exec(raw)?.[1];
  const executionArn =
    typeof parsed?.executionArn === 'string'
      ? parsed.executionArn
      : /arn:aws[\w-]*:states:[^\s]+:execution:[^\s:]+:[0-9A-Za-z_-]+/.exec(raw)?.[0];
  const links: Child[] = [];
  if (isImageId(imageId)) links.push(h('a', { href: hashLink(['images', imageId]) }, 'Image'));
  if (executionArn) links.push(h('a', { href: hashLink(['runs', executionArn.slice(executionArn.lastIndexOf(':') + 1)]) }, 'Run'));
  return links;
}

/**
 * The HTML part of an e-mail, rendered in a sandboxed frame: no scripts, no forms, no same-origin access, and the
 * page's own policy (no remote loads) applies inside it. Its source is also shown, as text.
 */
function htmlView(html: string): HTMLElement {
  const frame = h('iframe', { sandbox: '', title: 'HTML version of the e-mail', class: 'mail-frame', referrerpolicy: 'no-referrer' });
  frame.srcdoc = html;
  return h(
    'details',
    {},
    h('summary', {}, 'HTML version'),
    frame,
    h('details', {}, h('summary', {}, 'Source'), h('pre', { class: 'json' }, html)),
  );
}

/** One sent notification or e-mail; every stored string is shown as text, and HTML e-mails only as source. */
function outboxEntry(item: OutboxItem): HTMLElement {
  const channel = ({ email: 'e-mail', sns: 'SNS', sms: 'SMS' } as Record<string, string>)[text(pick(item, 'kind')) ?? ''] ?? 'message';
  const subject =
    text(pick(item, 'email.subject', 'sns.subject')) ?? (channel === 'SMS' ? 'Text message' : notificationTitle(pick(item, 'sns.message')));
  const to = text(pick(item, 'email.to', 'sms.phoneNumber', 'sns.topicArn'));
  const from = text(pick(item, 'email.from'));
  const when = text(pick(item, 'createdAt'));
  const plain = pick(item, 'email.text', 'sms.message', 'sns.message');
  const html = text(pick(item, 'email.html'));
  const relay = pick(item, 'email.relay') as { status?: string; error?: string } | undefined;
  return h(
    'article',
    { class: 'panel outbox-item', 'data-channel': channel },
    h(
      'header',
      {},
      h('span', { class: 'tag' }, channel),
      ' ',
      h('strong', { class: 'break' }, subject ?? '(no subject)'),
      h('span', { class: 'muted small' }, ` ${formatTime(when)}`),
    ),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'To'),
      h('dd', { class: 'break' }, to ?? '—'),
      from ? h('dt', {}, 'From') : null,
      from ? h('dd', { class: 'break' }, from) : null,
      relay?.status ? h('dt', {}, 'SMTP relay') : null,
      relay?.status ? h('dd', { class: 'break' }, `${relay.status}${relay.error ? `: ${relay.error}` : ''}`) : null,
    ),
    plain !== undefined ? h('pre', { class: 'message' }, bodyText(plain)) : null,
    html ? htmlView(html) : null,
    h('p', { class: 'links' }, ...linksFor(plain)),
    h('details', {}, h('summary', {}, 'Raw record'), jsonBlock(item)),
  );
}

/** Outbox: e-mails (SES), text messages (SNS SMS) and SNS messages the local services recorded, newest first. */
export const outboxPage: Page = (container) => {
  const list = h('div', { class: 'outbox' });
  const note = h('p', { class: 'muted', role: 'status' }, 'Loading…');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more');
  replaceChildren(
    container,
    h('h1', {}, 'Outbox'),
    h(
      'p',
      { class: 'lead' },
      'What was sent: e-mails (SES) and text messages (SMS through SNS) to owners, as the local services received them. ' +
        'Each owner gets at most 5 messages per channel in 15 minutes by default (NotificationsPerWindow, ' +
        'NotificationWindowMinutes); the rest of the window arrives as one digest at its end.',
    ),
    note,
    list,
    more,
  );
  showLocalLog<OutboxItem>({
    path: '/local/outbox',
    list,
    note,
    more,
    render: outboxEntry,
    emptyText: 'Nothing sent yet.',
    noLogText: 'This deployment has no outbox: notifications leave through SNS and SES.',
    what: 'the outbox',
  });
};
