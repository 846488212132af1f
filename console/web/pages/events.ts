import { isImageId } from '@smart-image-pipeline/contracts/browser';
import { showLocalLog } from '../local-pages';
import { h, jsonBlock, replaceChildren } from '../dom';
import { formatTime } from '../format';
import { hashLink, type Page } from '../router';
import { isAdmin } from '../session';

interface ArchivedEvent {
  eventBusName: string;
  event: { id: string; 'detail-type': string; source: string; time: string; detail: Record<string, unknown> };
  deliveries: Array<{ rule: string; target: string; outcome: string; error?: string }>;
}

/** One event: its type, the image it is about, where the rules sent it, and the whole event as text. */
function eventEntry(archived: ArchivedEvent): HTMLElement {
  const { event } = archived;
  const imageId = event.detail?.imageId;
  const deliveries =
    archived.deliveries.length === 0
      ? 'no rule matched'
      : archived.deliveries.map((d) => `${d.rule} -> ${d.target}: ${d.outcome}${d.error ? ` (${d.error})` : ''}`).join('; ');
  return h(
    'article',
    { class: 'panel outbox-item', 'data-detail-type': event['detail-type'] },
    h(
      'header',
      {},
      h('span', { class: 'tag' }, event['detail-type']),
      ' ',
      h('strong', { class: 'break' }, String(event.detail?.owner ?? '')),
      h('span', { class: 'muted small' }, ` ${formatTime(event.time)}`),
    ),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Bus'),
      h('dd', { class: 'break' }, archived.eventBusName),
      h('dt', {}, 'Rules'),
      h('dd', { class: 'break' }, deliveries),
    ),
    h('p', { class: 'links' }, isImageId(imageId) ? h('a', { href: hashLink(['images', imageId]) }, 'Image') : null),
    h('details', {}, h('summary', {}, 'Event'), jsonBlock(event)),
  );
}

/** Events (local mode only): what the state machine published on the bus, newest first, and which rules took it. */
export const eventsPage: Page = (container) => {
  const list = h('div', { class: 'outbox' });
  const note = h('p', { class: 'muted', role: 'status' }, 'Loading…');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more');
  replaceChildren(
    container,
    h('h1', {}, 'Events'),
    h(
      'p',
      { class: 'lead' },
      `What the pipeline published on its EventBridge bus about ${isAdmin() ? "every user's images" : 'your images'}, and where the rules sent it (local mode keeps this log).`,
    ),
    note,
    list,
    more,
  );
  showLocalLog<ArchivedEvent>({
    path: '/local/events',
    list,
    note,
    more,
    render: eventEntry,
    emptyText: 'Nothing published yet.',
    noLogText: 'This deployment keeps no event log.',
    what: 'the events',
  });
};
