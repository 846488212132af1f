import { api, ApiError, type ImageSummary, type Variant } from '../api';
import { h, replaceChildren, statusBadge, type Child } from '../dom';
import { imageCard } from './gallery';
import { placeholderUrl } from '../components/thumbnail';
import { formatBytes, formatConfidence, formatTime } from '../format';
import { hashLink, type Page } from '../router';

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
  confidence?: number;
}

interface ImageDetail {
  imageId: string;
  name: string;
  status?: string;
  revision?: string;
  source?: { bucket?: string; key?: string; versionId?: string | null };
  image?: { format?: string; width?: number; height?: number; bytes?: number; pages?: number; animated?: boolean; hasAlpha?: boolean; space?: string };
  exif?: Record<string, unknown> | null;
  placeholder?: ImageSummary['placeholder'];
  perceptualHash?: string | null;
  variants: Variant[];
  labels?: Array<{ name: string; confidence?: number; parents?: string[]; instances?: number; boxes?: Box[] }>;
  moderation?: Array<{ name?: string; parentName?: string; confidence?: number }>;
  faces?: Array<{ confidence?: number; boundingBox?: Box; ageRange?: { low?: number; high?: number }; gender?: string; emotion?: string; smile?: boolean }>;
  text?: Array<{ text?: string; confidence?: number }>;
  imageProperties?: { dominantColors?: Array<{ hex?: string; cssColor?: string; pixelPercent?: number }>; quality?: Record<string, number> };
  moderated?: boolean;
  error?: { name?: string; cause?: string } | null;
  createdAt?: string;
  updatedAt?: string;
  executionName?: string;
}

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'panel' }, h('h2', {}, title), ...children);
}

function bar(value: number, max = 100): HTMLElement {
  const fill = h('span', { class: 'bar-fill' });
  fill.style.width = `${Math.max(0, Math.min(100, (value / max) * 100))}%`;
  return h('span', { class: 'bar', 'aria-hidden': 'true' }, fill);
}

function isBox(box: unknown): box is Box {
  const candidate = box as Box | null;
  return Boolean(candidate) && [candidate?.left, candidate?.top, candidate?.width, candidate?.height].every((value) => typeof value === 'number' && Number.isFinite(value));
}

function boxElement(box: Box, kind: 'face' | 'object', caption: string): HTMLElement {
  // A box touching the top edge keeps its caption inside, where the stage does not clip it.
  const element = h('div', { class: `box box-${kind}${box.top < 0.08 ? ' caption-inside' : ''}`, title: caption }, h('span', { class: 'box-caption' }, caption));
  element.style.left = `${box.left * 100}%`;
  element.style.top = `${box.top * 100}%`;
  element.style.width = `${box.width * 100}%`;
  element.style.height = `${box.height * 100}%`;
  return element;
}

/** The image with face and object boxes drawn over it, and switches to hide either kind. */
function viewer(image: ImageDetail): HTMLElement {
  const candidates = image.variants.filter((variant) => (variant.width ?? 0) <= 1100);
  const shown = candidates.sort((a, b) => (b.width ?? 0) - (a.width ?? 0)).find((variant) => variant.format === 'webp') ?? candidates[0] ?? image.variants[0];
  if (!shown) return h('p', { class: 'muted' }, 'No variant was written for this image.');
  const stage = h('div', { class: 'stage' });
  const ratio = (shown.width ?? 4) / (shown.height ?? 3);
  stage.style.aspectRatio = `${shown.width ?? 4} / ${shown.height ?? 3}`;
  // Tall images are narrowed rather than cropped, so the stage keeps the image's shape and the boxes stay aligned.
  stage.style.width = `min(100%, calc(70vh * ${ratio.toFixed(4)}))`;
  const placeholder = placeholderUrl(image.placeholder ?? null);
  if (placeholder) stage.appendChild(h('img', { class: 'placeholder', src: placeholder, alt: '', 'aria-hidden': 'true' }));
  stage.appendChild(h('img', { class: 'real', src: shown.url, alt: image.name }));
  const faces = (image.faces ?? []).filter((face) => isBox(face.boundingBox));
  faces.forEach((face, index) => stage.appendChild(boxElement(face.boundingBox as Box, 'face', `Face ${index + 1}${face.emotion ? ` · ${face.emotion.toLowerCase()}` : ''}`)));
  let objects = 0;
  for (const label of image.labels ?? []) {
    for (const box of label.boxes ?? []) {
      if (!isBox(box)) continue;
      objects += 1;
      stage.appendChild(boxElement(box, 'object', `${label.name} ${formatConfidence(box.confidence ?? label.confidence)}`));
    }
  }
  // Captions of many boxes would cover each other; each box keeps its caption as a tooltip.
  if (faces.length + objects > 6) stage.classList.add('many');
  const toggle = (kind: 'face' | 'object', text: string, count: number): HTMLElement => {
    const input = h('input', { type: 'checkbox', id: `show-${kind}`, checked: true });
    input.addEventListener('change', () => stage.classList.toggle(`hide-${kind}`, !input.checked));
    return h('label', { class: 'toggle', for: `show-${kind}` }, input, ` ${text} (${count})`);
  };
  return h('figure', { class: 'viewer' }, stage, h('figcaption', {}, toggle('face', 'Faces', faces.length), toggle('object', 'Objects', objects), h('span', { class: 'muted small' }, ` ${shown.file} · ${shown.width}×${shown.height}`)));
}

function factList(entries: Array<[string, Child]>): HTMLElement {
  return h('dl', { class: 'facts' }, ...entries.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value === null || value === undefined || value === '' ? '—' : value)]));
}

function exifValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function render(container: HTMLElement, image: ImageDetail): HTMLElement {
  const facts = image.image ?? {};
  const colours = image.imageProperties?.dominantColors ?? [];
  const quality = image.imageProperties?.quality ?? {};
  const similar = h('div', {}, h('p', { class: 'muted' }, 'Looking for near-duplicates…'));
  replaceChildren(
    container,
    h('p', { class: 'crumbs' }, h('a', { href: '#/gallery' }, 'Gallery'), ' / ', h('span', {}, image.name)),
    h('div', { class: 'title-row' }, h('h1', { class: 'break' }, image.name), statusBadge(image.status ?? 'UNKNOWN'), image.moderated ? h('span', { class: 'tag tag-warn' }, 'flagged by moderation') : null),
    image.error
      ? h('div', { class: 'failure-box' }, h('h2', {}, 'Why it failed'), h('p', {}, h('strong', { class: 'error-name' }, image.error.name ?? 'Error')), h('p', { class: 'cause' }, image.error.cause ?? ''))
      : null,
    h(
      'div',
      { class: 'detail-layout' },
      viewer(image),
      h(
        'div',
        { class: 'side' },
        factList([
          ['Run', image.executionName ? h('a', { href: hashLink(['runs', image.executionName]), 'data-testid': 'execution-link' }, 'Open execution') : null],
          ['Format', facts.format ?? null],
          ['Size', facts.width ? `${facts.width} × ${facts.height} px` : null],
          ['Bytes', typeof facts.bytes === 'number' ? formatBytes(facts.bytes) : null],
          ['Animated', facts.animated ? `yes (${facts.pages ?? '?'} frames)` : 'no'],
          ['Alpha', facts.hasAlpha ? 'yes' : 'no'],
          ['Colour space', facts.space ?? null],
          ['Source key', h('span', { class: 'mono break' }, image.source?.key ?? '—')],
          ['Revision', h('span', { class: 'mono' }, image.revision ?? '—')],
          ['Perceptual hash', h('span', { class: 'mono' }, image.perceptualHash ?? '—')],
          ['Updated', formatTime(image.updatedAt)],
        ]),
      ),
    ),
    section(
      'Variants',
      image.variants.length
        ? h(
            'div',
            { class: 'table-scroll' },
            h(
              'table',
              { class: 'variants' },
              h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'File'), h('th', { scope: 'col' }, 'Format'), h('th', { scope: 'col' }, 'Size'), h('th', { scope: 'col' }, 'Bytes'))),
              h('tbody', {}, ...image.variants.map((variant) => h('tr', {}, h('td', {}, h('a', { href: variant.url, target: '_blank', rel: 'noopener' }, variant.file)), h('td', {}, variant.format ?? '—'), h('td', {}, `${variant.width ?? '?'} × ${variant.height ?? '?'}`), h('td', {}, typeof variant.bytes === 'number' ? formatBytes(variant.bytes) : '—')))),
            ),
          )
        : h('p', { class: 'muted' }, 'None.'),
    ),
    section(
      'Labels',
      (image.labels ?? []).length
        ? h('ul', { class: 'labels' }, ...(image.labels ?? []).map((label) => h('li', { 'data-label': label.name }, h('a', { href: hashLink(['gallery'], { label: label.name }) }, label.name), bar(label.confidence ?? 0), h('span', { class: 'small' }, formatConfidence(label.confidence)), label.parents?.length ? h('span', { class: 'muted small' }, ` ${label.parents.join(' › ')}`) : null)))
        : h('p', { class: 'muted' }, 'No labels.'),
    ),
    section(
      'Faces',
      (image.faces ?? []).length
        ? h('ol', { class: 'faces' }, ...(image.faces ?? []).map((face) => h('li', {}, `${face.gender ?? 'Unknown'}, ${face.ageRange ? `${face.ageRange.low}–${face.ageRange.high} years` : 'age unknown'}, ${(face.emotion ?? 'no emotion').toLowerCase()}${face.smile ? ', smiling' : ''} (${formatConfidence(face.confidence)})`)))
        : h('p', { class: 'muted' }, 'No faces.'),
    ),
    section('Moderation', (image.moderation ?? []).length ? h('ul', {}, ...(image.moderation ?? []).map((entry) => h('li', {}, `${entry.name ?? '?'}${entry.parentName ? ` (${entry.parentName})` : ''} · ${formatConfidence(entry.confidence)}`))) : h('p', { class: 'muted' }, 'Nothing flagged.')),
    section('Detected text', (image.text ?? []).length ? h('ul', { class: 'text-lines' }, ...(image.text ?? []).map((line) => h('li', {}, h('q', {}, line.text ?? ''), h('span', { class: 'muted small' }, ` ${formatConfidence(line.confidence)}`)))) : h('p', { class: 'muted' }, 'No text.')),
    section(
      'Dominant colours',
      colours.length
        ? h(
            'ul',
            { class: 'colours' },
            ...colours.map((colour) => {
              const swatch = h('span', { class: 'swatch-big', 'aria-hidden': 'true' });
              if (colour.hex && HEX_COLOUR.test(colour.hex)) swatch.style.backgroundColor = colour.hex;
              return h('li', {}, swatch, h('span', { class: 'mono' }, colour.hex ?? '?'), h('span', { class: 'muted small' }, ` ${colour.cssColor ?? ''} ${typeof colour.pixelPercent === 'number' ? `${colour.pixelPercent.toFixed(1)} %` : ''}`));
            }),
          )
        : h('p', { class: 'muted' }, 'Not analysed.'),
    ),
    section('Quality', Object.keys(quality).length ? h('ul', { class: 'labels' }, ...Object.entries(quality).map(([name, value]) => h('li', {}, h('span', {}, name), bar(Number(value) || 0), h('span', { class: 'small' }, typeof value === 'number' ? value.toFixed(1) : String(value))))) : h('p', { class: 'muted' }, 'Not analysed.')),
    section('EXIF', image.exif && Object.keys(image.exif).length ? factList(Object.entries(image.exif).map(([key, value]) => [key, exifValue(value)])) : h('p', { class: 'muted' }, 'No EXIF.')),
    section('Near-duplicates', similar),
  );
  return similar;
}

/** Image detail: variants, labels with bars, boxes over the image, text, colours, quality, EXIF, near-duplicates and the run. */
export const imageDetailPage: Page = (container, route) => {
  const imageId = route.path[1];
  let stopped = false;
  replaceChildren(container, h('p', { class: 'muted' }, 'Loading…'));
  api<{ image: ImageDetail }>(`/api/images/${encodeURIComponent(imageId)}`)
    .then(async ({ image }) => {
      if (stopped) return;
      const similar = render(container, image);
      const answer = await api<{ items: Array<{ distance: number; image: ImageSummary }> }>(`/api/images/${encodeURIComponent(imageId)}/similar`).catch(() => ({ items: [] }));
      if (stopped) return;
      replaceChildren(
        similar,
        answer.items.length
          ? h('ul', { class: 'grid small-grid' }, ...answer.items.map((entry) => {
              const card = imageCard(entry.image);
              card.querySelector('.card-tags')?.appendChild(h('span', { class: 'tag' }, `distance ${entry.distance}`));
              return card;
            }))
          : h('p', { class: 'muted' }, 'None found.'),
      );
    })
    .catch((error) => {
      if (stopped) return;
      const text = error instanceof ApiError && error.status === 404 ? 'No such image (it may still be processing).' : `Could not load the image: ${(error as Error).message}`;
      replaceChildren(container, h('h1', {}, 'Image'), h('p', { class: 'notice' }, text));
    });
  return () => {
    stopped = true;
  };
};
