import { api, ApiError, type ImageSummary } from '../api';
import { h, jsonBlock, replaceChildren, statusBadge } from '../dom';
import { stateGraph } from '../components/state-graph';
import { formatDuration, formatTime } from '../format';
import { hashLink, type Page } from '../router';
import type { StateVisit } from '../../../functions/api/src/executions/state-history';

interface ExecutionDetail {
  execution: {
    name: string;
    status: string;
    startDate: string | null;
    stopDate: string | null;
    durationMs: number | null;
    input: unknown;
    output: unknown;
    error: string | null;
    cause: unknown;
    redriveCount: number;
  };
  imageId: string | null;
  image: ImageSummary | null;
  states: StateVisit[];
  outcomes: Record<string, string>;
  timeline: Array<{ id: number; type: string; at: string; state: string | null; error: string | null }>;
}

const POLL_MS = 2000;
let definitionCache: Promise<{ definition: { StartAt?: string; States?: Record<string, never> } }> | undefined;

function causeText(cause: unknown): string {
  if (cause === null || cause === undefined) return '';
  if (typeof cause === 'string') return cause;
  const known = cause as { errorMessage?: unknown; message?: unknown };
  if (typeof known.errorMessage === 'string') return known.errorMessage;
  if (typeof known.message === 'string') return known.message;
  return JSON.stringify(cause);
}

function stateSection(visit: StateVisit): HTMLElement {
  const summary = h(
    'summary',
    {},
    h('span', { class: `dot node-${visit.outcome}`, 'aria-hidden': 'true' }),
    h('strong', {}, visit.name),
    h(
      'span',
      { class: 'muted small' },
      ` ${visit.type} · ${visit.outcome} · ${formatDuration(visit.durationMs)}${visit.retries > 0 ? ` · ${visit.retries} ${visit.retries === 1 ? 'retry' : 'retries'}` : ''}`,
    ),
  );
  const errors = visit.errors.length
    ? h(
        'div',
        {},
        h('h4', {}, 'Errors'),
        h(
          'ol',
          { class: 'errors' },
          ...visit.errors.map((entry) =>
            h(
              'li',
              {},
              h('strong', {}, entry.error ?? 'Error'),
              ` at ${formatTime(entry.at)}: `,
              h('span', { class: 'cause' }, causeText(entry.cause)),
            ),
          ),
        ),
      )
    : null;
  return h(
    'details',
    {
      class: 'state-visit',
      'data-state': visit.name,
      'data-outcome': visit.outcome,
      ...(visit.outcome === 'failed' || visit.outcome === 'caught' ? { open: true } : {}),
    },
    summary,
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Entered'),
      h('dd', {}, formatTime(visit.enteredAt)),
      h('dt', {}, 'Exited'),
      h('dd', {}, formatTime(visit.exitedAt)),
      h('dt', {}, 'Attempts'),
      h('dd', {}, String(visit.attempts)),
    ),
    errors,
    h(
      'div',
      { class: 'io' },
      h('div', {}, h('h4', {}, 'Input'), jsonBlock(visit.input)),
      h('div', {}, h('h4', {}, 'Output'), jsonBlock(visit.output)),
    ),
  );
}

function timeline(detail: ExecutionDetail): HTMLElement {
  const start = Date.parse(detail.execution.startDate ?? detail.timeline[0]?.at ?? '');
  return h(
    'ol',
    { class: 'timeline' },
    ...detail.timeline.map((event) =>
      h(
        'li',
        { class: event.error || /Failed|TimedOut|Aborted/.test(event.type) ? 'bad' : '' },
        h(
          'span',
          { class: 'mono small muted' },
          Number.isFinite(start) ? `+${formatDuration(Date.parse(event.at) - start)}` : formatTime(event.at),
        ),
        ' ',
        h('span', {}, event.type),
        event.state ? h('span', { class: 'muted' }, ` · ${event.state}`) : null,
        event.error ? h('span', { class: 'error-text' }, ` · ${event.error}`) : null,
      ),
    ),
  );
}

/** Run detail: the graph coloured by outcome, each state's input/output/errors/retries/time, a timeline, and redrive/re-run. */
export const runDetailPage: Page = (container, route) => {
  const name = route.path[1];
  let timer: number | undefined;
  let stopped = false;
  const message = h('p', { class: 'notice', role: 'status' });

  const act = async (action: 'redrive' | 'rerun', button: HTMLButtonElement): Promise<void> => {
    button.disabled = true;
    try {
      const answer = await api<{ name: string }>(`/admin/executions/${encodeURIComponent(name)}/${action}`, { method: 'POST' });
      if (action === 'rerun') location.hash = hashLink(['runs', answer.name]);
      else {
        message.textContent = 'Redrive started.';
        void refresh();
      }
    } catch (error) {
      message.textContent = `${action === 'redrive' ? 'Redrive' : 'Re-run'} failed: ${(error as Error).message}`;
      button.disabled = false;
    }
  };

  const render = (detail: ExecutionDetail, definition: { StartAt?: string; States?: Record<string, never> } | undefined): void => {
    const { execution } = detail;
    const failed = ['FAILED', 'TIMED_OUT', 'ABORTED'].includes(execution.status);
    const redrive = h('button', { type: 'button', class: 'primary' }, 'Redrive');
    const rerun = h('button', { type: 'button', class: 'secondary' }, 'Re-run from start');
    redrive.addEventListener('click', () => void act('redrive', redrive));
    rerun.addEventListener('click', () => void act('rerun', rerun));
    const failure = execution.error
      ? h(
          'div',
          { class: 'failure-box', 'data-testid': 'run-failure' },
          h('h2', {}, 'Why it failed'),
          h('p', {}, h('strong', { class: 'error-name' }, execution.error)),
          h('p', { class: 'cause' }, causeText(execution.cause)),
        )
      : null;
    replaceChildren(
      container,
      h('p', { class: 'crumbs' }, h('a', { href: '#/runs' }, 'Runs'), ' / ', h('span', { class: 'mono' }, execution.name)),
      h('div', { class: 'title-row' }, h('h1', {}, detail.image?.name ?? execution.name), statusBadge(execution.status)),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Started'),
        h('dd', {}, formatTime(execution.startDate)),
        h('dt', {}, 'Stopped'),
        h('dd', {}, formatTime(execution.stopDate)),
        h('dt', {}, 'Duration'),
        h('dd', {}, formatDuration(execution.durationMs)),
        h('dt', {}, 'Image'),
        h('dd', {}, detail.imageId ? h('a', { href: hashLink(['images', detail.imageId]) }, detail.image?.name ?? detail.imageId) : '—'),
        execution.redriveCount ? h('dt', {}, 'Redrives') : null,
        execution.redriveCount ? h('dd', {}, String(execution.redriveCount)) : null,
      ),
      failure,
      failed ? h('div', { class: 'actions' }, redrive, rerun) : null,
      message,
      h('h2', {}, 'State graph'),
      definition ? stateGraph(definition, detail.outcomes) : h('p', { class: 'muted' }, 'The state machine definition is unavailable.'),
      h('h2', {}, 'States'),
      detail.states.length
        ? h('div', { class: 'states' }, ...detail.states.map(stateSection))
        : h('p', { class: 'muted' }, 'No state has started yet.'),
      h('h2', {}, 'Timeline'),
      timeline(detail),
      h(
        'details',
        { class: 'raw' },
        h('summary', {}, 'Execution input and output'),
        h(
          'div',
          { class: 'io' },
          h('div', {}, h('h4', {}, 'Input'), jsonBlock(execution.input)),
          h('div', {}, h('h4', {}, 'Output'), jsonBlock(execution.output)),
        ),
      ),
    );
  };

  const refresh = async (): Promise<void> => {
    if (timer !== undefined) window.clearTimeout(timer);
    try {
      definitionCache ??= api('/admin/state-machine');
      const [detail, machine] = await Promise.all([
        api<ExecutionDetail>(`/admin/executions/${encodeURIComponent(name)}`),
        definitionCache.catch(() => undefined),
      ]);
      if (stopped) return;
      render(detail, machine?.definition);
      if (detail.execution.status === 'RUNNING' || detail.execution.status === 'PENDING_REDRIVE')
        timer = window.setTimeout(() => void refresh(), POLL_MS);
    } catch (error) {
      if (stopped) return;
      const text =
        error instanceof ApiError && error.status === 404 ? `No run named ${name}.` : `Could not load the run: ${(error as Error).message}`;
      replaceChildren(container, h('h1', {}, 'Run'), h('p', { class: 'notice' }, text));
    }
  };
  void refresh();
  return () => {
    stopped = true;
    if (timer !== undefined) window.clearTimeout(timer);
  };
};
