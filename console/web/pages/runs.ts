import { api, queryString, type Page as ApiPage, type Variant } from '../api';
import { h, replaceChildren, statusBadge } from '../dom';
import { thumbnail } from '../components/thumbnail';
import { formatDuration, formatTime } from '../format';
import { hashLink, type Page } from '../router';

/** One execution as GET /admin/executions lists it. */
export interface ExecutionRow {
  name: string;
  arn: string;
  status: string;
  startDate: string | null;
  stopDate: string | null;
  durationMs: number | null;
  redriveCount: number;
  imageId: string | null;
  imageName: string | null;
  thumbnail: Variant | null;
}

const POLL_MS = 2500;
const STATUSES = ['', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

function row(execution: ExecutionRow): HTMLTableRowElement {
  const running = execution.status === 'RUNNING';
  return h(
    'tr',
    { 'data-execution': execution.name, 'data-status': execution.status },
    h('td', { 'data-label': 'Status' }, statusBadge(execution.status)),
    h(
      'td',
      { class: 'cell-image', 'data-label': 'Image' },
      h(
        'div',
        { class: 'run-image' },
        execution.thumbnail
          ? thumbnail(
              {
                thumbnail: execution.thumbnail,
                placeholder: null,
                name: '',
                width: execution.thumbnail.width ?? null,
                height: execution.thumbnail.height ?? null,
              },
              'run-thumb',
            )
          : h('span', { class: 'run-thumb empty', 'aria-hidden': 'true' }),
        h(
          'div',
          {},
          h('a', { href: hashLink(['runs', execution.name]) }, execution.imageName ?? execution.name),
          h('div', { class: 'muted small mono' }, execution.name),
        ),
      ),
    ),
    h('td', { 'data-label': 'Started' }, formatTime(execution.startDate)),
    h(
      'td',
      { 'data-label': 'Duration' },
      running && execution.startDate
        ? `${formatDuration(Date.now() - Date.parse(execution.startDate))} so far`
        : formatDuration(execution.durationMs),
    ),
  );
}

/** Runs: executions of the state machine, newest first, refreshed while the page is open. */
export const runsPage: Page = (container, route) => {
  const status = route.query.get('status') ?? '';
  const select = h(
    'select',
    { id: 'run-status' },
    ...STATUSES.map((value) =>
      h('option', { value, ...(value === status ? { selected: true } : {}) }, value ? value.replace('_', ' ') : 'All'),
    ),
  );
  select.addEventListener('change', () => {
    location.hash = hashLink(['runs'], { status: select.value });
  });
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more');
  const note = h('p', { class: 'muted', 'aria-live': 'polite' });
  replaceChildren(
    container,
    h('h1', {}, 'Runs'),
    h(
      'div',
      { class: 'toolbar' },
      h('label', { for: 'run-status' }, 'Status'),
      select,
      h('span', { class: 'muted small' }, 'Updates every few seconds'),
    ),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'runs' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Status'),
            h('th', { scope: 'col' }, 'Image'),
            h('th', { scope: 'col' }, 'Started'),
            h('th', { scope: 'col' }, 'Duration'),
          ),
        ),
        body,
      ),
    ),
    note,
    more,
  );

  let cursor: string | null = null;
  let loadedExtra = false;
  const rows = new Map<string, ExecutionRow>();
  const render = (): void => {
    const ordered = [...rows.values()].sort((a, b) => (b.startDate ?? '').localeCompare(a.startDate ?? ''));
    replaceChildren(body, ...ordered.map(row));
    note.textContent = ordered.length === 0 ? 'No runs yet. Upload an image to start one.' : '';
  };
  const load = async (next?: string): Promise<void> => {
    const page = await api<ApiPage<ExecutionRow>>(`/admin/executions${queryString({ status, limit: 25, cursor: next })}`);
    for (const execution of page.items) rows.set(execution.name, execution);
    // Polling reloads the first page; once older pages are loaded, only "Load more" moves the cursor.
    if (next !== undefined || !loadedExtra) cursor = page.nextCursor;
    more.hidden = !cursor;
    render();
  };
  more.addEventListener('click', () => {
    loadedExtra = true;
    void load(cursor ?? undefined).catch((error: Error) => (note.textContent = error.message));
  });
  load().catch((error: Error) => (note.textContent = `Could not load runs: ${error.message}`));
  const timer = window.setInterval(() => {
    if (document.visibilityState === 'visible') void load().catch(() => undefined);
  }, POLL_MS);
  return () => window.clearInterval(timer);
};
