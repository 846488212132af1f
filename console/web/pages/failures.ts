import { api, queryString, type ImageSummary, type Page as ApiPage } from '../api';
import { h, replaceChildren } from '../dom';
import { formatTime } from '../format';
import { hashLink, type Page } from '../router';
import { isAdmin } from '../session';

function failureRow(image: ImageSummary): HTMLElement {
  return h(
    'li',
    { class: 'failure', 'data-image-id': image.imageId, 'data-name': image.name },
    h(
      'div',
      { class: 'failure-head' },
      h('a', { href: hashLink(['images', image.imageId]), class: 'break' }, image.name),
      h('span', { class: 'muted small' }, formatTime(image.updatedAt)),
    ),
    h('p', {}, h('strong', { class: 'error-name' }, image.error?.name ?? 'Unknown error')),
    image.error?.cause ? h('p', { class: 'cause' }, image.error.cause) : null,
    image.executionName && isAdmin()
      ? h(
          'div',
          { class: 'actions' },
          h('a', { href: hashLink(['runs', image.executionName]) }, 'Open the run'),
          rerunButton(image.executionName),
        )
      : null,
  );
}

/** Starts the failed run again with the same input and opens the new run. */
function rerunButton(executionName: string): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'secondary' }, 'Re-run');
  button.addEventListener('click', () => {
    button.disabled = true;
    api<{ name: string }>(`/admin/executions/${encodeURIComponent(executionName)}/rerun`, { method: 'POST' })
      .then((answer) => {
        location.hash = hashLink(['runs', answer.name]);
      })
      .catch((error: Error) => {
        button.disabled = false;
        button.textContent = `Re-run failed: ${error.message}`;
      });
  });
  return button;
}

/** Failures: failed images, newest first, each with its error and cause. */
export const failuresPage: Page = (container) => {
  const list = h('ul', { class: 'failures' });
  const note = h('p', { class: 'muted', role: 'status' }, 'Loading…');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more');
  replaceChildren(
    container,
    h('h1', {}, 'Failures'),
    h('p', { class: 'lead' }, 'Your uploads the pipeline refused or could not process, with the reason it recorded.'),
    note,
    list,
    more,
  );
  let cursor: string | null = null;
  let shown = 0;
  const load = async (): Promise<void> => {
    try {
      const page = await api<ApiPage<ImageSummary>>(`/failures${queryString({ limit: 25, cursor })}`);
      for (const image of page.items) list.appendChild(failureRow(image));
      shown += page.items.length;
      cursor = page.nextCursor;
      more.hidden = !cursor;
      note.textContent = shown === 0 ? 'No failures.' : '';
    } catch (error) {
      note.textContent = `Could not load failures: ${(error as Error).message}`;
    }
  };
  more.addEventListener('click', () => void load());
  void load();
};
