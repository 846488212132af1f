import { api, ApiError, queryString, type Page as ApiPage, type ReviewEntry } from '../api';
import { h, replaceChildren } from '../dom';
import { formatConfidence, formatTime } from '../format';
import { hashLink, type Page } from '../router';

/** The longest reason the API takes (REVIEW_REASON_MAX_LENGTH in packages/contracts). */
const REASON_MAX = 500;

/** What a FAILED review shows instead of the form: the error, and the run to re-run (Runs page: "Re-run"). */
function failedReview(entry: ReviewEntry): HTMLElement {
  const failure = entry.failure;
  const attempted = failure?.attemptedDecision ? ` while applying "${failure.attemptedDecision}"` : '';
  return h(
    'div',
    { class: 'review-failed', role: 'alert' },
    h(
      'p',
      {},
      `The review failed${attempted} (${failure?.error ?? 'unknown error'}) ${formatTime(failure?.failedAt)}; the image stays held.`,
    ),
    failure?.cause ? h('p', { class: 'muted small break' }, failure.cause) : null,
    failure?.executionName ? h('a', { href: hashLink(['runs', failure.executionName]) }, 'Open the run to re-run the image') : null,
  );
}

/** One queued image: the image (its short-lived URL), the labels that put it here, and the decision form. */
function reviewCard(entry: ReviewEntry, onDecided: (card: HTMLElement, text: string) => void): HTMLElement {
  const reasonId = `reason-${entry.imageId}`;
  const reason = h('textarea', { id: reasonId, name: 'reason', rows: '2', maxlength: String(REASON_MAX), required: true });
  const status = h('p', { class: 'muted small', role: 'status' });
  const approve = h('button', { type: 'button', 'data-decision': 'approve' }, 'Approve');
  const reject = h('button', { type: 'button', class: 'danger', 'data-decision': 'reject' }, 'Reject');
  const card = h(
    'li',
    { class: 'review-card', 'data-image-id': entry.imageId, 'data-review-status': entry.reviewStatus },
    entry.url
      ? h('img', { class: 'review-image', src: entry.url, alt: `Flagged image ${entry.name ?? entry.imageId}`, decoding: 'async' })
      : h('div', { class: 'review-image withheld' }, h('span', { class: 'withheld-text' }, 'No image (superseded or being decided)')),
    h(
      'div',
      { class: 'review-body' },
      h('h2', { class: 'break' }, entry.name ?? entry.imageId),
      h('p', { class: 'muted small' }, `Flagged ${formatTime(entry.requestedAt)}; decided by default ${formatTime(entry.timeoutAt)}`),
      h(
        'ul',
        { class: 'review-labels', 'aria-label': 'Moderation labels' },
        ...entry.labels.map((label) => h('li', { class: 'tag tag-warn' }, `${label.name} ${formatConfidence(label.confidence)}`.trim())),
      ),
      ...(entry.reviewStatus === 'FAILED'
        ? [failedReview(entry)]
        : [
            h('label', { for: reasonId }, 'Reason (recorded with your decision)'),
            reason,
            h('div', { class: 'actions' }, approve, reject),
            status,
          ]),
    ),
  );
  const decide = async (decision: 'approve' | 'reject'): Promise<void> => {
    const text = reason.value.trim();
    if (text === '') {
      status.textContent = 'Give a reason first.';
      reason.focus();
      return;
    }
    approve.disabled = reject.disabled = true;
    status.textContent = 'Sending…';
    try {
      await api(`/admin/reviews/${entry.imageId}/decision`, { method: 'POST', body: { decision, reason: text } });
      onDecided(card, `${entry.name ?? entry.imageId}: ${decision === 'approve' ? 'approved' : 'rejected'}.`);
    } catch (error) {
      approve.disabled = reject.disabled = false;
      status.textContent =
        error instanceof ApiError && error.status === 409
          ? `Already decided: ${error.message}`
          : `Could not send: ${(error as Error).message}`;
    }
  };
  approve.addEventListener('click', () => void decide('approve'));
  reject.addEventListener('click', () => void decide('reject'));
  return card;
}

/** Review (admins): images moderation put in quarantine, oldest first; approve serves them, reject deletes their variants. */
export const reviewPage: Page = (container) => {
  const list = h('ul', { class: 'reviews' });
  const note = h('p', { class: 'muted review-note', role: 'status', 'aria-live': 'polite' }, 'Loading…');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more');
  replaceChildren(
    container,
    h('h1', {}, 'Review'),
    h(
      'p',
      { class: 'lead' },
      'Images whose moderation labels crossed the threshold. Nobody else sees them until you decide; every decision is audited.',
    ),
    note,
    list,
    more,
  );
  let cursor: string | null = null;
  const onDecided = (card: HTMLElement, text: string): void => {
    card.remove();
    note.textContent = list.children.length === 0 ? `${text} The queue is empty.` : text;
  };
  const load = async (): Promise<void> => {
    try {
      const page = await api<ApiPage<ReviewEntry>>(`/admin/reviews${queryString({ limit: 25, cursor })}`);
      for (const entry of page.items) list.appendChild(reviewCard(entry, onDecided));
      cursor = page.nextCursor;
      more.hidden = !cursor;
      note.textContent = list.children.length === 0 ? 'Nothing to review.' : '';
    } catch (error) {
      note.textContent = `Could not load the review queue: ${(error as Error).message}`;
    }
  };
  more.addEventListener('click', () => void load());
  void load();
};
