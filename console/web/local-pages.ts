import { localApi, ApiError, queryString, type Page as ApiPage } from './api';

/** What a page of a local-only log (outbox, events) shows, and what it says when there is nothing or no log. */
export interface LocalLogView<T> {
  /** The console server's route, e.g. `/local/outbox`. */
  path: string;
  list: HTMLElement;
  note: HTMLElement;
  more: HTMLButtonElement;
  render(item: T): HTMLElement;
  emptyText: string;
  /** Shown when the server has no such log (501: not local mode). */
  noLogText: string;
  /** The log's name in an error message, e.g. "the outbox". */
  what: string;
}

/** Loads the log 20 entries at a time, newest first; "more" loads the next page. */
export function showLocalLog<T>(view: LocalLogView<T>): void {
  let cursor: string | null = null;
  let shown = 0;
  const load = async (): Promise<void> => {
    try {
      const page = await localApi<ApiPage<T>>(`${view.path}${queryString({ limit: 20, cursor })}`);
      for (const item of page.items) view.list.appendChild(view.render(item));
      shown += page.items.length;
      cursor = page.nextCursor;
      view.more.hidden = !cursor;
      view.note.textContent = shown === 0 ? view.emptyText : '';
    } catch (error) {
      view.note.textContent =
        error instanceof ApiError && error.status === 501 ? view.noLogText : `Could not load ${view.what}: ${(error as Error).message}`;
    }
  };
  view.more.addEventListener('click', () => void load());
  void load();
}
