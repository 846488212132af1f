import { isImageId } from '@smart-image-pipeline/contracts/browser';
import { localApi, ApiError, queryString, type Page as ApiPage } from '../api';
import { h, jsonBlock, replaceChildren } from '../dom';
import { formatTime } from '../format';
import { hashLink, type Page } from '../router';

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
      'What the pipeline published on its EventBridge bus, and where the rules sent it (local mode keeps this log).',
    ),
    note,
    list,
    more,
  );
  let cursor: string | null = null;
  let shown = 0;
  const load = async (): Promise<void> => {
    try {
      const page = await localApi<ApiPage<ArchivedEvent>>(`/local/events${queryString({ limit: 20, cursor })}`);
      for (const item of page.items) list.appendChild(eventEntry(item));
      shown += page.items.length;
      cursor = page.nextCursor;
      more.hidden = !cursor;
      note.textContent = shown === 0 ? 'Nothing published yet.' : '';
    } catch (error) {
      note.textContent =
        error instanceof ApiError && error.status === 501
          ? 'This deployment keeps no event log.'
          : `Could not load the events: ${(error as Error).message}`;
    }
  };
  more.addEventListener('click', () => void load());
  void load();
};
