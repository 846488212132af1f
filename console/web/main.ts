import './styles.css';
import { h, replaceChildren } from './dom';
import { parseHash, type Page } from './router';
import { uploadPage } from './pages/upload';
import { runsPage } from './pages/runs';
import { runDetailPage } from './pages/run-detail';
import { galleryPage } from './pages/gallery';
import { imageDetailPage } from './pages/image-detail';
import { failuresPage } from './pages/failures';
import { eventsPage } from './pages/events';
import { outboxPage } from './pages/outbox';

const NAV: Array<{ path: string; label: string }> = [
  { path: 'upload', label: 'Upload' },
  { path: 'runs', label: 'Runs' },
  { path: 'gallery', label: 'Gallery' },
  { path: 'failures', label: 'Failures' },
  { path: 'outbox', label: 'Outbox' },
  { path: 'events', label: 'Events' },
];

function pageFor(path: string[]): { page: Page; section: string; title: string } {
  const [section = 'upload', id] = path;
  if (section === 'runs' && id) return { page: runDetailPage, section, title: 'Run' };
  if (section === 'images' && id) return { page: imageDetailPage, section: 'gallery', title: 'Image' };
  const table: Record<string, { page: Page; title: string }> = {
    upload: { page: uploadPage, title: 'Upload' },
    runs: { page: runsPage, title: 'Runs' },
    gallery: { page: galleryPage, title: 'Gallery' },
    failures: { page: failuresPage, title: 'Failures' },
    outbox: { page: outboxPage, title: 'Outbox' },
    events: { page: eventsPage, title: 'Events' },
  };
  const found = table[section] ?? table.upload;
  return { ...found, section: table[section] ? section : 'upload' };
}

function start(): void {
  const main = h('main', { id: 'main', tabindex: '-1' });
  const links = NAV.map((entry) => h('a', { href: `#/${entry.path}`, 'data-section': entry.path }, entry.label));
  const header = h(
    'header',
    { class: 'top' },
    h('a', { class: 'skip', href: '#main', on: { click: (event) => { event.preventDefault(); main.focus(); } } }, 'Skip to content'),
    h('a', { class: 'brand', href: '#/upload' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), 'Image Pipeline'),
    h('nav', { 'aria-label': 'Sections' }, ...links),
  );
  replaceChildren(document.body, header, main);

  let cleanup: void | (() => void);
  let first = true;
  const render = (): void => {
    if (typeof cleanup === 'function') cleanup();
    const route = parseHash(location.hash || '#/upload');
    const { page, section, title } = pageFor(route.path);
    for (const link of links) {
      if (link.dataset.section === section) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    document.title = `${title} · Image Pipeline console`;
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

start();
