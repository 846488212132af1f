import { api, queryString, type ImageSummary, type Page as ApiPage } from '../api';
import { h, replaceChildren } from '../dom';
import { thumbnail } from '../components/thumbnail';
import { formatClock, formatConfidence } from '../format';
import { hashLink, type Page } from '../router';
import { isAdmin } from '../session';

const FILTERS = [
  'label',
  'minConfidence',
  'hasFaces',
  'text',
  'moderated',
  'status',
  'mediaType',
  'version',
  'from',
  'to',
  'sort',
  'scope',
] as const;

/** The card's preview: the thumbnail (a video's poster frame, with its duration over it). */
function cardPreview(image: ImageSummary): HTMLElement {
  const preview = thumbnail(image);
  if (image.mediaType === 'video' && typeof image.durationSeconds === 'number') {
    preview.appendChild(
      h(
        'span',
        { class: 'duration-badge', 'data-testid': 'duration-badge', 'aria-label': `Video, ${formatClock(image.durationSeconds)} long` },
        formatClock(image.durationSeconds),
      ),
    );
  }
  return preview;
}

/**
 * A grid card: thumbnail only (never a large variant), name, and the facts that matter for a filter. A video found by
 * a label opens its player at the second the label is first seen.
 */
export function imageCard(image: ImageSummary): HTMLElement {
  const topLabels = image.matchedLabel ? [image.matchedLabel] : image.labels.slice(0, 3);
  const seconds = image.matchedLabel?.seconds;
  const at = typeof seconds === 'number' ? seconds : undefined;
  return h(
    'li',
    { class: 'card', 'data-image-id': image.imageId, 'data-name': image.name, 'data-media-type': image.mediaType ?? 'image' },
    h(
      'a',
      { href: hashLink(['images', image.imageId], at !== undefined ? { t: String(at) } : undefined), class: 'card-link' },
      cardPreview(image),
      h('span', { class: 'card-name' }, image.name),
      h(
        'span',
        { class: 'card-tags' },
        image.status === 'FAILED' ? h('span', { class: 'tag tag-bad' }, image.error?.name ?? 'Failed') : null,
        ...topLabels.map((label) =>
          h('span', { class: 'tag' }, `${label.name} ${label.confidence !== null ? formatConfidence(label.confidence) : ''}`.trim()),
        ),
        image.faceCount > 0 ? h('span', { class: 'tag tag-info' }, `${image.faceCount} ${image.faceCount === 1 ? 'face' : 'faces'}`) : null,
        image.moderated ? h('span', { class: 'tag tag-warn' }, 'flagged') : null,
        at !== undefined ? h('span', { class: 'tag tag-info', 'data-testid': 'seen-at' }, `seen at ${formatClock(at)}`) : null,
        h('span', { class: 'tag', title: 'Pipeline version', 'data-testid': 'pipeline-version' }, image.pipelineVersion),
      ),
    ),
  );
}

function select(id: string, label: string, value: string, options: Array<[string, string]>): HTMLElement {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h(
      'select',
      { id, name: id },
      ...options.map(([optionValue, text]) =>
        h('option', { value: optionValue, ...(optionValue === value ? { selected: true } : {}) }, text),
      ),
    ),
  );
}

/** Gallery: your thumbnails (everyone's for admins) with placeholders; filters by label, confidence, faces, text, moderation, status and dates; sort by best match, newest or confidence. */
export const galleryPage: Page = (container, route) => {
  const current = Object.fromEntries(FILTERS.map((name) => [name, route.query.get(name) ?? ''])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter images' },
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'label' }, 'Label'),
      h('input', { id: 'label', name: 'label', type: 'search', value: current.label, placeholder: 'e.g. person' }),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'minConfidence' }, 'Min. confidence (%)'),
      h('input', {
        id: 'minConfidence',
        name: 'minConfidence',
        type: 'number',
        min: '0',
        max: '100',
        step: '1',
        value: current.minConfidence,
        placeholder: '0',
      }),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'text' }, 'Text contains'),
      h('input', { id: 'text', name: 'text', type: 'search', value: current.text }),
    ),
    select('hasFaces', 'Faces', current.hasFaces, [
      ['', 'Any'],
      ['true', 'With faces'],
      ['false', 'Without faces'],
    ]),
    select('moderated', 'Moderation', current.moderated, [
      ['', 'Any'],
      ['true', 'Flagged'],
      ['false', 'Not flagged'],
    ]),
    select('mediaType', 'Type', current.mediaType, [
      ['', 'Images and videos'],
      ['image', 'Images'],
      ['video', 'Videos'],
    ]),
    select('status', 'Status', current.status || 'SUCCEEDED', [
      ['SUCCEEDED', 'Succeeded'],
      ['FAILED', 'Failed'],
      ['QUARANTINED', 'Held for review'],
      ['REJECTED', 'Removed after review'],
      ['ALL', 'All'],
    ]),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'version' }, 'Pipeline version'),
      h('input', {
        id: 'version',
        name: 'version',
        type: 'search',
        value: current.version,
        placeholder: 'e.g. v2',
        pattern: 'v[1-9][0-9]{0,5}|unresolved',
      }),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'from' }, 'From'),
      h('input', { id: 'from', name: 'from', type: 'date', value: current.from }),
    ),
    h('div', { class: 'field' }, h('label', { for: 'to' }, 'To'), h('input', { id: 'to', name: 'to', type: 'date', value: current.to })),
    select('sort', 'Sort', current.sort, [
      ['', 'Best match'],
      ['newest', 'Newest'],
      ['confidence', 'Label confidence'],
    ]),
    isAdmin()
      ? select('scope', 'Whose', current.scope, [
          ['', 'Mine'],
          ['all', "Everyone's"],
        ])
      : null,
    h(
      'div',
      { class: 'field actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Apply'),
      h('a', { href: '#/gallery', class: 'button secondary' }, 'Reset'),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const query: Record<string, string> = {};
    for (const name of FILTERS) query[name] = String(data.get(name) ?? '').trim();
    if (!query.label) {
      // Confidence belongs to a label; without one, these two would be refused by the API.
      query.minConfidence = '';
      if (query.sort === 'confidence') query.sort = '';
    }
    if (query.status === 'SUCCEEDED') query.status = '';
    location.hash = hashLink(['gallery'], query);
  });

  const grid = h('ul', { class: 'grid', 'aria-label': 'Images' });
  const note = h('p', { class: 'muted', role: 'status' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more');
  replaceChildren(container, h('h1', {}, 'Gallery'), form, note, grid, more);

  let cursor: string | null = null;
  let shown = 0;
  const load = async (): Promise<void> => {
    more.disabled = true;
    note.textContent = 'Loading…';
    try {
      const { scope, ...filters } = current;
      const params = {
        ...filters,
        minConfidence: current.label ? current.minConfidence : '',
        sort: current.label ? current.sort : '',
        limit: 24,
        cursor,
      };
      // An admin may look at everyone's images; the API answers that listing to admins only.
      const listing = scope === 'all' && isAdmin() ? '/admin/images' : '/images';
      const page = await api<ApiPage<ImageSummary>>(`${listing}${queryString(params)}`);
      for (const image of page.items) grid.appendChild(imageCard(image));
      shown += page.items.length;
      cursor = page.nextCursor;
      more.hidden = !cursor;
      note.textContent =
        shown === 0
          ? cursor
            ? 'Nothing in this stretch; load more to keep searching.'
            : scope !== 'all' && isAdmin()
              ? "No images of yours match. Uploads that name no user (straight under uploads/, e.g. from the AWS CLI) are nobody's: choose Whose: Everyone's to see them."
              : 'No images match.'
          : `${shown} ${current.mediaType === 'video' ? 'video' : 'image'}${shown === 1 ? '' : 's'}${cursor ? ' so far' : ''}`;
      if (shown === 0 && cursor) more.hidden = false;
    } catch (error) {
      note.textContent = `Could not load images: ${(error as Error).message}`;
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', () => void load());
  void load();
};
