import type { Box } from '@smart-image-pipeline/contracts/browser';
import { api, ApiError, type ImageSummary, type Variant } from '../api';
import { h, replaceChildren } from '../dom';
import { hashLink, type Page } from '../router';
import { imageCard } from './gallery';

/** One person as GET /people gives it. */
interface PersonView {
  personId: string;
  name: string | null;
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

/** The name the owner gave, else a stable stand-in from the id (the list's order is by id, so an index would move). */
function displayName(person: { personId: string; name: string | null }): string {
  return person.name ?? `Person ${person.personId.slice(0, 4)}`;
}

function personCard(person: PersonView): HTMLElement {
  const name = displayName(person);
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
  'People appear here when face grouping is switched on and your photos have faces. It stores face vectors, which are biometric data, so it is off until an administrator adds a pipeline version with "groupFacesIntoPeople": true (a new version: a version that has run cannot change; README "People").';

/** Every page of GET /people (the action's choice of people to merge into needs all of them). */
async function allPeople(): Promise<PersonView[]> {
  const people: PersonView[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: PersonView[]; nextCursor: string | null } = await api(
      `/people?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    people.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return people;
}

/** People: your photos' faces grouped into people (only your own photos), each opening "photos of this person". */
export const peoplePage: Page = (container, route) => {
  const personId = route.path[1];
  if (personId) return personPage(container, personId);
  const list = h('ul', { class: 'grid small-grid people' });
  const note = h('p', { class: 'muted', role: 'status' }, 'Loading…');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'More people');
  replaceChildren(
    container,
    h('h1', {}, 'People'),
    h('p', { class: 'lead' }, 'Faces in your photos, grouped by person. Open a person to name it or merge it into another.'),
    note,
    list,
    more,
  );
  let cursor: string | null = null;
  const load = () => {
    more.disabled = true;
    api<{ items: PersonView[]; nextCursor: string | null }>(`/people?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      .then((answer) => {
        answer.items.forEach((person) => list.appendChild(personCard(person)));
        cursor = answer.nextCursor;
        more.hidden = !cursor;
        more.disabled = false;
        note.textContent = list.children.length === 0 ? OFF_NOTE : '';
      })
      .catch((error: Error) => {
        more.disabled = false;
        note.textContent = `Could not load people: ${error.message}`;
      });
  };
  more.addEventListener('click', load);
  load();
};

/** Naming the person and merging it into another: the owner's corrections of the grouping. */
function personActions(personId: string, name: string | null, status: HTMLElement): HTMLElement {
  const nameInput = h('input', {
    id: 'person-name',
    name: 'name',
    type: 'text',
    maxlength: '80',
    value: name ?? '',
    placeholder: 'e.g. Grandma',
  });
  const saveName = h('button', { type: 'submit', class: 'secondary' }, 'Save name');
  const nameForm = h(
    'form',
    { class: 'actions person-name' },
    h('div', { class: 'field' }, h('label', { for: 'person-name' }, 'Name'), nameInput),
    saveName,
  );
  nameForm.addEventListener('submit', (event) => {
    event.preventDefault();
    saveName.disabled = true;
    api<{ name: string | null }>(`/people/${encodeURIComponent(personId)}/name`, { method: 'PUT', body: { name: nameInput.value } })
      .then((answer) => {
        status.textContent = answer.name ? `Named ${answer.name}.` : 'Name removed.';
        document.querySelector('h1')!.textContent = answer.name ? `Photos of ${answer.name}` : 'Photos of this person';
      })
      .catch((error: Error) => {
        status.textContent = `Could not save the name: ${error.message}`;
      })
      .finally(() => {
        saveName.disabled = false;
      });
  });
  const target = h('select', { id: 'merge-target', name: 'into' }, h('option', { value: '' }, 'Choose a person…'));
  const merge = h('button', { type: 'submit', class: 'secondary', disabled: true }, 'Merge');
  const mergeForm = h(
    'form',
    { class: 'actions person-merge' },
    h('div', { class: 'field' }, h('label', { for: 'merge-target' }, 'Same person as'), target),
    merge,
  );
  allPeople()
    .then((people) => {
      for (const person of people.filter((other) => other.personId !== personId))
        target.appendChild(
          h(
            'option',
            { value: person.personId },
            `${displayName(person)} (${person.imageCount} photo${person.imageCount === 1 ? '' : 's'})`,
          ),
        );
      mergeForm.dataset.ready = 'true';
    })
    .catch((error: Error) => {
      status.textContent = `Could not load the people to merge into: ${error.message}`;
    });
  target.addEventListener('change', () => {
    merge.disabled = !target.value;
  });
  mergeForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!target.value) return;
    merge.disabled = true;
    api<{ personId: string }>(`/people/${encodeURIComponent(personId)}/merge`, { method: 'POST', body: { into: target.value } })
      .then((answer) => {
        location.hash = hashLink(['people', answer.personId]);
      })
      .catch((error: Error) => {
        merge.disabled = false;
        status.textContent = `Could not merge: ${error.message}`;
      });
  });
  return h('div', { class: 'person-actions' }, nameForm, mergeForm);
}

function personPage(container: HTMLElement, personId: string): void {
  const list = h('ul', { class: 'grid' });
  const note = h('p', { class: 'muted', role: 'status' }, 'Loading…');
  const heading = h('h1', {}, 'Photos of this person');
  const actions = h('div', {});
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'More photos');
  replaceChildren(container, h('p', {}, h('a', { href: hashLink(['people']) }, '← People')), heading, actions, note, list, more);
  // A photo holding faces of two persons merged into one comes once per face: it is shown once.
  const shown = new Set<string>();
  let cursor: string | null = null;
  const load = () => {
    more.disabled = true;
    api<{ personId: string; name: string | null; items: ImageSummary[]; nextCursor: string | null }>(
      `/people/${encodeURIComponent(personId)}/images?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    )
      .then((answer) => {
        if (cursor === null) {
          if (answer.name) heading.textContent = `Photos of ${answer.name}`;
          replaceChildren(actions, personActions(answer.personId, answer.name, note));
        }
        for (const image of answer.items) {
          if (shown.has(image.imageId)) continue;
          shown.add(image.imageId);
          list.appendChild(imageCard(image));
        }
        cursor = answer.nextCursor;
        more.hidden = !cursor;
        more.disabled = false;
        note.textContent = '';
      })
      .catch((error: Error) => {
        more.disabled = false;
        note.textContent =
          error instanceof ApiError && error.status === 404
            ? 'No such person among your photos.'
            : `Could not load the photos: ${error.message}`;
      });
  };
  more.addEventListener('click', load);
  load();
}
