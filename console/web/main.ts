import './styles.css';
import { api, type Me } from './api';
import { completeSignIn, signedInUser, signIn, signOut, accessToken } from './auth';
import { appConfig, loadConfig } from './config';
import { h, replaceChildren } from './dom';
import { parseHash, type Page } from './router';
import { isAdmin, setSession } from './session';
import { uploadPage } from './pages/upload';
import { runsPage } from './pages/runs';
import { runDetailPage } from './pages/run-detail';
import { galleryPage } from './pages/gallery';
import { imageDetailPage } from './pages/image-detail';
import { failuresPage } from './pages/failures';
import { analyticsPage } from './pages/analytics';
import { peoplePage } from './pages/people';
import { eventsPage } from './pages/events';
import { outboxPage } from './pages/outbox';
import { notificationsPage } from './pages/notifications';
import { reviewPage } from './pages/review';
import { adminPage } from './pages/admin';

interface Section {
  path: string;
  label: string;
  page: Page;
  /** Who sees it: everyone, admins (the API refuses the others), or local mode only. */
  shown: () => boolean;
}

const SECTIONS: Section[] = [
  { path: 'upload', label: 'Upload', page: uploadPage, shown: () => true },
  { path: 'gallery', label: 'Gallery', page: galleryPage, shown: () => true },
  { path: 'people', label: 'People', page: peoplePage, shown: () => true },
  { path: 'failures', label: 'Failures', page: failuresPage, shown: () => true },
  { path: 'analytics', label: 'Analytics', page: analyticsPage, shown: () => true },
  { path: 'runs', label: 'Runs', page: runsPage, shown: isAdmin },
  { path: 'review', label: 'Review', page: reviewPage, shown: isAdmin },
  { path: 'admin', label: 'Admin', page: adminPage, shown: isAdmin },
  { path: 'outbox', label: 'Outbox', page: outboxPage, shown: () => appConfig().local?.outbox === true },
  { path: 'events', label: 'Events', page: eventsPage, shown: () => appConfig().local?.events === true },
];

function pageFor(path: string[]): { page: Page; section: string; title: string } {
  const [name = 'upload', id] = path;
  if (name === 'runs' && id && isAdmin()) return { page: runDetailPage, section: 'runs', title: 'Run' };
  if (name === 'images' && id) return { page: imageDetailPage, section: 'gallery', title: 'Image' };
  // Everyone's own settings: reached from the account corner, not a section of the nav.
  if (name === 'notifications') return { page: notificationsPage, section: 'notifications', title: 'Notifications' };
  const found = SECTIONS.find((section) => section.path === name && section.shown()) ?? SECTIONS[0];
  return { page: found.page, section: found.path, title: found.label };
}

function message(text: string, action?: HTMLElement): void {
  replaceChildren(
    document.body,
    h('main', { id: 'main' }, h('h1', {}, 'Image Pipeline'), h('p', { class: 'notice', role: 'status' }, text), action ?? null),
  );
}

async function start(): Promise<void> {
  await loadConfig();
  await completeSignIn();
  if (!(await accessToken())) {
    message('Signing in…');
    await signIn();
  }
  setSession(await api<Me>('/me'));
  const user = signedInUser();

  const main = h('main', { id: 'main', tabindex: '-1' });
  const sections = SECTIONS.filter((section) => section.shown());
  const links = sections.map((entry) => h('a', { href: `#/${entry.path}`, 'data-section': entry.path }, entry.label));
  const notificationsLink = h('a', { href: '#/notifications', 'data-section': 'notifications' }, 'Notifications');
  const header = h(
    'header',
    { class: 'top' },
    h(
      'a',
      {
        class: 'skip',
        href: '#main',
        on: {
          click: (event) => {
            event.preventDefault();
            main.focus();
          },
        },
      },
      'Skip to content',
    ),
    h('a', { class: 'brand', href: '#/upload' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), 'Image Pipeline'),
    h('nav', { 'aria-label': 'Sections' }, ...links),
    h(
      'div',
      { class: 'account' },
      h('span', { class: 'who', 'data-testid': 'signed-in-as' }, user?.email ?? ''),
      isAdmin() ? h('span', { class: 'tag' }, 'admin') : null,
      notificationsLink,
      h('button', { type: 'button', class: 'link-button', on: { click: () => signOut() } }, 'Sign out'),
    ),
  );
  replaceChildren(document.body, header, main);

  let cleanup: void | (() => void);
  let first = true;
  const render = (): void => {
    if (typeof cleanup === 'function') cleanup();
    const route = parseHash(location.hash || '#/upload');
    const { page, section, title } = pageFor(route.path);
    for (const link of [...links, notificationsLink]) {
      if (link.dataset.section === section) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    document.title = `${title} · Image Pipeline`;
    const container = h('div', { class: 'page' });
    replaceChildren(main, container);
    cleanup = page(container, route);
    // After a route change, keyboard and screen-reader users continue in the new content, not at the old link.
    if (!first) main.focus({ preventScroll: true });
    first = false;
  };
  window.addEventListener('hashchange', render);
  render();
}

start().catch((error: Error) => {
  message(
    `The console could not start: ${error.message}`,
    h('button', { type: 'button', class: 'primary', on: { click: () => void signIn() } }, 'Sign in again'),
  );
});
