import { api, ApiError } from '../api';
import { h, replaceChildren } from '../dom';
import type { Page } from '../router';

/** What GET/PUT /me/preferences answer (functions/api/src/preferences/preferences-item.ts). */
interface PreferencesView {
  source: 'stored' | 'default' | 'invalid';
  preferences: { channels: string[]; events: string[] } | null;
  problems?: string[];
}

/** The choices, in the API's names (packages/contracts CHANNEL_NAMES and NOTIFYING_DETAIL_TYPES); the API checks them again. */
const CHANNELS: ReadonlyArray<[string, string]> = [
  ['email', 'E-mail, to the verified address of your account'],
  ['sms', 'Text message (SMS), to the verified phone number of your account'],
];
const EVENTS: ReadonlyArray<[string, string]> = [
  ['Image Processed', 'An image of mine was processed'],
  ['Image Failed', 'An image of mine could not be processed'],
];

function checkboxes(
  name: string,
  legend: string,
  options: ReadonlyArray<[string, string]>,
  chosen: readonly string[],
): HTMLFieldSetElement {
  return h(
    'fieldset',
    { class: 'choices' },
    h('legend', {}, legend),
    ...options.map(([value, label]) =>
      h('label', {}, h('input', { type: 'checkbox', name, value, checked: chosen.includes(value) }), label),
    ),
  );
}

const checked = (form: HTMLFormElement, name: string) =>
  Array.from(form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]`))
    .filter((input) => input.checked)
    .map((input) => input.value);

/** The signed-in user's notification choice: which channels (none = no messages) and which events. */
export const notificationsPage: Page = (container) => {
  const status = h('p', { class: 'muted', role: 'status', 'data-testid': 'preferences-status' }, 'Loading…');
  replaceChildren(
    container,
    h('h1', {}, 'Notifications'),
    h(
      'p',
      { class: 'lead' },
      'How you are told when your images are done. Bulk uploads are rate-limited: past a few messages, the rest of the ' +
        'window comes as one summary.',
    ),
    status,
  );
  const show = (view: PreferencesView) => {
    const chosen = view.preferences ?? { channels: [], events: [] };
    const form = h(
      'form',
      { class: 'panel preferences', 'data-source': view.source },
      checkboxes('channels', 'Tell me by', CHANNELS, chosen.channels),
      checkboxes('events', 'Tell me when', EVENTS, chosen.events),
      h('p', { class: 'muted small' }, 'No channel ticked means no messages at all.'),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save')),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      status.textContent = 'Saving…';
      api<PreferencesView>('/me/preferences', {
        method: 'PUT',
        body: { channels: checked(form, 'channels'), events: checked(form, 'events') },
      })
        .then((saved) => {
          form.dataset.source = saved.source;
          status.textContent = 'Saved.';
        })
        .catch((error: Error) => {
          status.textContent = `Not saved: ${error instanceof ApiError ? error.message : String(error)}`;
        });
    });
    status.textContent =
      view.source === 'invalid'
        ? `Your stored choice is invalid (${(view.problems ?? []).join('; ')}), so nothing is sent; save a new one.`
        : view.source === 'default'
          ? 'You have not chosen yet: e-mail for both is the default.'
          : '';
    container.appendChild(form);
  };
  api<PreferencesView>('/me/preferences')
    .then(show)
    .catch((error: Error) => {
      status.textContent = `Could not load your choice: ${error.message}`;
    });
};
