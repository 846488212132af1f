import type { Box } from '@smart-image-pipeline/contracts/browser';
import { api, ApiError, type ImageSummary, type Variant } from '../api';
import { h, replaceChildren } from '../dom';
import { hashLink, type Page } from '../router';
import { imageCard } from './gallery';

/** One person as GET /people gives it. */
interface PersonView {
  personId: string;
  faceCount: number;
  imageCount: number;
  cover: { imageId: string; box: Box; thumbnail: Variant | null; width: number | null; height: number | null };
}

/**
 * The cover face cut out of its photo's thumbnail: the thumbnail as a background, scaled so the face's box fills
 * the frame (CSS only, no second image request).
 */
export function faceCrop(cover: PersonView['cover'], label: string): HTMLElement {
  const frame = h('div', { class: 'face-crop', role: 'img', 'aria-label': label });
  const { box, thumbnail } = cover;
  if (!thumbnail || box.width <= 0 || box.height <= 0) return frame;
  const width = thumbnail.width ?? cover.width ?? 1;
  const height = thumbnail.height ?? cover.height ?? 1;
  frame.style.aspectRatio = `${box.width * width} / ${box.height * height}`;
  frame.style.backgroundImage = `url("${thumbnail.url.replace(/"/g, '%22')}")`;
  frame.style.backgroundSize = `${100 / box.width}% ${100 / box.height}%`;
  // A percentage position p places point p of the image at point p of the frame; this puts the box's corner at 0.
  const position = (start: number, size: number) => (size >= 1 ? 0 : (start / (1 - size)) * 100);
  frame.style.backgroundPosition = `${position(box.left, box.width)}% ${position(box.top, box.height)}%`;
  return frame;
}

function personCard(person: PersonView, index: number): HTMLElement {
  const name = `Person ${index + 1}`;
  return h(
    'li',
    { class: 'card person', 'data-person-id': person.personId },
    h(
      'a',
      { href: hashLink(['people', person.personId]), class: 'card-link' },
      faceCrop(person.cover, `Face of ${name}`),
      h('span', { class: 'card-name' }, name),
      h('span', { class: 'card-tags muted small' }, `${person.imageCount} photo${person.imageCount === 1 ? '' : 's'}`),
    ),
  );
}

const OFF_NOTE =
  'People appear here when face grouping is switched on (groupFacesIntoPeople in the pipeline config; it stores face vectors, which are biometric data) and your photos have faces.';

/** People: your photos' faces grouped into people (only your own photos), each opening "photos of this person". */
export const peoplePage: Page = (container, route) => {
  const personId = route.path[1];
  if (personId) return personPage(container, personId);
  const list = h('ul', { class: 'grid small-grid people' });
  const note = h('p', { class: 'muted', role: 'status' }, 'Loading…');
  replaceChildren(container, h('h1', {}, 'People'), h('p', { class: 'lead' }, 'Faces in your photos, grouped by person.'), note, list);
  api<{ items: PersonView[]; truncated: boolean }>('/people')
    .then((answer) => {
      answer.items.forEach((person, index) => list.appendChild(personCard(person, index)));
      note.textContent = answer.items.length === 0 ? OFF_NOTE : answer.truncated ? 'Showing the people of your first 5,000 faces.' : '';
    })
    .catch((error: Error) => {
      note.textContent = `Could not load people: ${error.message}`;
    });
};

function personPage(container: HTMLElement, personId: string): void {
  const list = h('ul', { class: 'grid' });
  const note = h('p', { class: 'muted', role: 'status' }, 'Loading…');
  replaceChildren(
    container,
    h('p', {}, h('a', { href: hashLink(['people']) }, '← People')),
    h('h1', {}, 'Photos of this person'),
    note,
    list,
  );
  api<{ items: ImageSummary[] }>(`/people/${encodeURIComponent(personId)}/images`)
    .then((answer) => {
      for (const image of answer.items) list.appendChild(imageCard(image));
      note.textContent = '';
    })
    .catch((error: Error) => {
      note.textContent =
        error instanceof ApiError && error.status === 404
          ? 'No such person among your photos.'
          : `Could not load the photos: ${error.message}`;
    });
}
