import { api, ApiError, queryString, type AuditEntry, type Page as ApiPage, type ReprocessOverview, type ReprocessRun } from '../api';
import { h, replaceChildren, statusBadge } from '../dom';
import { formatTime } from '../format';
import type { Page } from '../router';

/** How often a started run's status is asked for while it runs. */
const POLL_MS = 2000;

/** The selection kinds of POST /admin/reprocess's `where` (docs/reprocessing.md); the value field names the rest. */
const WHERE_KINDS: Array<[string, string, string]> = [
  ['all', 'All images', ''],
  ['failed', 'Failed images', ''],
  ['user', 'One user (sub or "unowned")', 'user id'],
  ['label', 'Images with a label', 'e.g. Dog'],
  ['older-than', 'Processed by a version older than', 'e.g. v2'],
];

function field(id: string, label: string, control: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

/** The finished run's numbers, or its error, as a definition list. */
function runFacts(run: ReprocessRun): HTMLElement {
  const facts: Array<[string, string]> = [
    ['Status', run.status],
    ['Version', run.request?.version ?? '—'],
    ['Selection', run.request?.where ?? '—'],
    ['Started', formatTime(run.startDate)],
    ['Ended', run.stopDate ? formatTime(run.stopDate) : '—'],
  ];
  if (run.counts) {
    const c = run.counts;
    facts.push(
      ['Selected', String(c.selected)],
      ['Already at the version', String(c.alreadyCurrent)],
      ['Reprocessed', String(c.reprocessed)],
      ['Variants reused', String(c.reusedResize)],
      ['Skipped', String(c.skipped)],
      ['Failed', String(c.failed)],
      ['Results manifest', c.resultsManifest ?? 'none (nothing selected)'],
    );
    if (!c.complete) facts.push(['Note', 'Counted from the first result files only; the manifest holds them all.']);
  }
  if (run.error) facts.push(['Error', `${run.error.name}: ${run.error.cause}`]);
  return h(
    'dl',
    { class: 'facts reprocess-facts', 'data-status': run.status },
    ...facts.flatMap(([term, value]) => [h('dt', {}, term), h('dd', { class: 'break', 'data-fact': term }, value)]),
  );
}

/** The reprocess section: start a run (version, selection, concurrency) and follow it until it ends. */
function reprocessSection(): HTMLElement {
  const version = h('select', { id: 'reprocess-version', name: 'version', required: true });
  const kind = h('select', { id: 'reprocess-where', name: 'where' }, ...WHERE_KINDS.map(([value, text]) => h('option', { value }, text)));
  const value = h('input', { id: 'reprocess-value', name: 'value', type: 'text', disabled: true, maxlength: '100' });
  const concurrency = h('input', {
    id: 'reprocess-concurrency',
    name: 'maxConcurrency',
    type: 'number',
    min: '1',
    max: '1000',
    step: '1',
    value: '10',
  });
  const start = h('button', { type: 'submit' }, 'Start reprocessing');
  const status = h('p', { class: 'muted small', role: 'status', 'aria-live': 'polite' });
  const result = h('div', { class: 'reprocess-result' });
  const runs = h('tbody');
  kind.addEventListener('change', () => {
    const placeholder = WHERE_KINDS.find(([name]) => name === kind.value)?.[2] ?? '';
    value.disabled = placeholder === '';
    value.required = !value.disabled;
    value.placeholder = placeholder;
  });

  const showRuns = (overview: ReprocessOverview): void => {
    replaceChildren(
      runs,
      ...(overview.runs.length === 0
        ? [h('tr', {}, h('td', { colspan: '3', class: 'muted' }, 'No runs yet.'))]
        : overview.runs.map((run) =>
            h(
              'tr',
              {},
              h('td', { class: 'break' }, run.name),
              h('td', {}, statusBadge(run.status)),
              h('td', {}, formatTime(run.startDate)),
            ),
          )),
    );
  };
  const refresh = async (): Promise<void> => {
    const overview = await api<ReprocessOverview>('/admin/reprocess');
    const chosen = version.value;
    replaceChildren(
      version,
      ...overview.versions.map((name) =>
        h(
          'option',
          { value: name, ...(name === (chosen || overview.current) ? { selected: true } : {}) },
          name === overview.current ? `${name} (current)` : name,
        ),
      ),
    );
    showRuns(overview);
  };

  const follow = async (name: string): Promise<void> => {
    for (;;) {
      const run = await api<ReprocessRun>(`/admin/reprocess/${encodeURIComponent(name)}`);
      replaceChildren(result, h('h3', { class: 'break' }, name), runFacts(run));
      if (run.status !== 'RUNNING') {
        status.textContent = `Run ${run.status.toLowerCase()}.`;
        return;
      }
      status.textContent = 'Running…';
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };

  const form = h(
    'form',
    { class: 'filters reprocess-form', 'aria-label': 'Start a reprocess run' },
    field('reprocess-version', 'Target version', version),
    field('reprocess-where', 'Selection', kind),
    field('reprocess-value', 'Selection value', value),
    field('reprocess-concurrency', 'Concurrency (1-1000)', concurrency),
    h('div', { class: 'field actions' }, start),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const where = value.disabled ? kind.value : `${kind.value}=${value.value.trim()}`;
    start.disabled = true;
    status.textContent = 'Starting…';
    void (async () => {
      try {
        const started = await api<{ name: string }>('/admin/reprocess', {
          method: 'POST',
          body: { version: version.value, where, maxConcurrency: Number(concurrency.value) },
        });
        await refresh();
        await follow(started.name);
        await refresh();
      } catch (error) {
        status.textContent =
          error instanceof ApiError && error.status === 400 ? `Refused: ${error.message}` : `Could not start: ${(error as Error).message}`;
      } finally {
        start.disabled = false;
      }
    })();
  });
  refresh().catch((error: Error) => (status.textContent = `Could not load the versions: ${error.message}`));

  return h(
    'section',
    { class: 'admin-section', 'aria-labelledby': 'reprocess-heading' },
    h('h2', { id: 'reprocess-heading' }, 'Reprocess'),
    h(
      'p',
      { class: 'lead' },
      'Runs the pipeline again with a version of the config over a selection. Images the version already processed are skipped.',
    ),
    form,
    status,
    result,
    h('h3', {}, 'Latest runs'),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'reprocess-runs' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Run'), h('th', {}, 'Status'), h('th', {}, 'Started'))),
        runs,
      ),
    ),
  );
}

/** One decision as a table row: when, which image, what, who, why, and what it changed. */
function auditRow(entry: AuditEntry): HTMLElement {
  const who = entry.timedOut ? 'Timeout default' : (entry.decidedByName ?? entry.decidedBy ?? '—');
  const change = `${entry.statusBefore ?? '—'} → ${entry.statusAfter ?? '—'}${entry.applied ? '' : ' (not applied)'}`;
  return h(
    'tr',
    { 'data-image-id': entry.imageId },
    h('td', {}, formatTime(entry.decidedAt)),
    h('td', { class: 'break' }, h('a', { href: `#/images/${entry.imageId}` }, entry.imageId)),
    h('td', {}, entry.decision ?? '—'),
    h('td', { class: 'break' }, who),
    h('td', { class: 'break' }, entry.reason ?? ''),
    h('td', {}, change),
    h('td', { class: 'break' }, entry.labels.map((label) => label.name).join(', ')),
  );
}

/** The audit log: every review decision, newest first, optionally for one image, a page at a time. */
function auditSection(): HTMLElement {
  const imageId = h('input', {
    id: 'audit-image',
    name: 'imageId',
    type: 'search',
    placeholder: '32 hex characters',
    pattern: '[0-9a-f]{32}',
  });
  const rows = h('tbody');
  const note = h('p', { class: 'muted small audit-note', role: 'status', 'aria-live': 'polite' }, 'Loading…');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more');
  let cursor: string | null = null;
  const load = async (fresh: boolean): Promise<void> => {
    if (fresh) {
      cursor = null;
      replaceChildren(rows);
    }
    try {
      const page = await api<ApiPage<AuditEntry>>(`/admin/audit${queryString({ limit: 25, cursor, imageId: imageId.value.trim() })}`);
      for (const entry of page.items) rows.appendChild(auditRow(entry));
      cursor = page.nextCursor;
      more.hidden = !cursor;
      note.textContent = rows.children.length === 0 ? 'No decisions yet.' : `${rows.children.length} decision(s) shown.`;
    } catch (error) {
      note.textContent = `Could not load the audit log: ${(error as Error).message}`;
    }
  };
  const form = h(
    'form',
    { class: 'filters audit-form', role: 'search', 'aria-label': 'Filter the audit log' },
    field('audit-image', 'Image id', imageId),
    h('div', { class: 'field actions' }, h('button', { type: 'submit' }, 'Show')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load(true);
  });
  more.addEventListener('click', () => void load(false));
  void load(true);
  const heads = ['Decided', 'Image', 'Decision', 'By', 'Reason', 'Status', 'Labels'];
  return h(
    'section',
    { class: 'admin-section', 'aria-labelledby': 'audit-heading' },
    h('h2', { id: 'audit-heading' }, 'Audit log'),
    h('p', { class: 'lead' }, "Every moderation decision (a reviewer's or the timeout default), newest first."),
    form,
    note,
    h(
      'div',
      { class: 'table-scroll' },
      h('table', { class: 'audit-log' }, h('thead', {}, h('tr', {}, ...heads.map((text) => h('th', {}, text)))), rows),
    ),
    more,
  );
}

/** Admin (admins): bulk reprocessing and the moderation audit log. */
export const adminPage: Page = (container) => {
  replaceChildren(container, h('h1', {}, 'Admin'), reprocessSection(), auditSection());
};
