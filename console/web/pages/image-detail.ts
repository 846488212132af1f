import type { ImageFactsView } from '@smart-image-pipeline/contracts/browser';
import { api, ApiError, type ImageSummary, type Variant, type VideoDetail } from '../api';
import { h, replaceChildren, statusBadge, type Child } from '../dom';
import { imageCard } from './gallery';
import { placeholderUrl, withheldPlaceholder } from '../components/thumbnail';
import { peopleLinks } from '../components/people-links';
import { analysisPanels, boxesOf, drawnBoxes, orderedSections, type AnalysisView, type DrawnBox } from '../components/analysis-sections';
import { boxCounts, boxToggleCaption } from '../components/box-counts';
import { thumbnailStrip, videoFacts, videoPlayer, videoTimeline, type Seek } from '../components/video-panels';
import { formatBytes, formatTime } from '../format';
import { hashLink, type Page } from '../router';
import { isAdmin } from '../session';

interface ImageDetail {
  imageId: string;
  name: string;
  status?: string;
  revision?: string;
  source?: { bucket?: string; key?: string; versionId?: string | null };
  image?: ImageFactsView;
  exif?: Record<string, unknown> | null;
  placeholder?: ImageSummary['placeholder'];
  perceptualHash?: string | null;
  variants: Variant[];
  /** Every detector's sections (null when the image was not analysed). */
  analysis?: AnalysisView | null;
  moderated?: boolean;
  error?: { name?: string; cause?: string } | null;
  createdAt?: string;
  updatedAt?: string;
  executionName?: string;
  pipelineVersion?: string;
  /** QUARANTINED or REJECTED: the API gives no variant and no preview. */
  withheld?: boolean;
  review?: { decision?: string; reason?: string; decidedAt?: string } | null;
  /** `video` for a video upload: `video` then holds its metadata and signed outputs. */
  mediaType?: 'image' | 'video';
  video?: VideoDetail | null;
}

function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'panel' }, h('h2', {}, title), ...children);
}

function boxElement({ sectionId, box, caption }: DrawnBox): HTMLElement {
  // A box touching the top edge keeps its caption inside, where the stage does not clip it.
  const element = h(
    'div',
    { class: `box box-${sectionId}${box.top < 0.08 ? ' caption-inside' : ''}`, title: caption },
    h('span', { class: 'box-caption' }, caption),
  );
  element.style.left = `${box.left * 100}%`;
  element.style.top = `${box.top * 100}%`;
  element.style.width = `${box.width * 100}%`;
  element.style.height = `${box.height * 100}%`;
  return element;
}

/** The image with every section's boxes drawn over it (faces, objects, any other detector's), each section switchable. */
function viewer(image: ImageDetail): HTMLElement {
  if (image.withheld) return withheldBox(image);
  return imageViewer(image);
}

/** What a quarantined or rejected upload shows instead of its content. */
function withheldBox(image: ImageDetail): HTMLElement {
  const rejected = image.status === 'REJECTED';
  return h(
    'div',
    { class: 'withheld-box', role: 'note' },
    withheldPlaceholder(image.status, 'stage'),
    h(
      'p',
      {},
      rejected
        ? `A reviewer removed this image${image.review?.reason ? `: ${image.review.reason}` : '.'}`
        : 'Moderation flagged this image; it stays hidden until an administrator reviews it.',
    ),
  );
}

function imageViewer(image: ImageDetail): HTMLElement {
  const candidates = image.variants.filter((variant) => (variant.width ?? 0) <= 1100);
  const shown =
    candidates.sort((a, b) => (b.width ?? 0) - (a.width ?? 0)).find((variant) => variant.format === 'webp') ??
    candidates[0] ??
    image.variants[0];
  if (!shown) return h('p', { class: 'muted' }, 'No variant was written for this image.');
  const stage = h('div', { class: 'stage' });
  const ratio = (shown.width ?? 4) / (shown.height ?? 3);
  stage.style.aspectRatio = `${shown.width ?? 4} / ${shown.height ?? 3}`;
  // Tall images are narrowed rather than cropped, so the stage keeps the image's shape and the boxes stay aligned.
  stage.style.width = `min(100%, calc(70vh * ${ratio.toFixed(4)}))`;
  const placeholder = placeholderUrl(image.placeholder ?? null);
  if (placeholder) stage.appendChild(h('img', { class: 'placeholder', src: placeholder, alt: '', 'aria-hidden': 'true' }));
  stage.appendChild(h('img', { class: 'real', src: shown.url, alt: image.name }));
  const boxes = boxesOf(image.analysis);
  for (const drawn of boxes) stage.appendChild(boxElement(drawn));
  // Captions of many boxes would cover each other; each box keeps its caption as a tooltip.
  if (boxes.length > 6) stage.classList.add('many');
  const toggles = orderedSections(image.analysis)
    .map(([id, { title, items }]) => ({ id, title, ...boxCounts(items, drawnBoxes) }))
    .filter(({ drawn }) => drawn > 0)
    .map(({ id, title, drawn, found }) => {
      const input = h('input', { type: 'checkbox', id: `show-${id}`, checked: true });
      input.addEventListener('change', () => {
        for (const element of stage.querySelectorAll<HTMLElement>(`.box-${id}`)) element.hidden = !input.checked;
      });
      return h('label', { class: 'toggle', for: `show-${id}` }, input, ` ${boxToggleCaption(title, drawn, found)}`);
    });
  return h(
    'figure',
    { class: 'viewer' },
    stage,
    h('figcaption', {}, ...toggles, h('span', { class: 'muted small' }, ` ${shown.file} · ${shown.width}×${shown.height}`)),
  );
}

function factList(entries: Array<[string, Child]>): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    ...entries.flatMap(([term, value]) => [
      h('dt', {}, term),
      h('dd', {}, value === null || value === undefined || value === '' ? '—' : value),
    ]),
  );
}

function exifValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A video's player (or its withheld placeholder), and how the timeline and thumbnails move it. */
function videoStage(
  image: ImageDetail,
  video: VideoDetail,
  startAt: number | undefined,
): { element: HTMLElement; seek: Seek; stop?: () => void } {
  if (image.withheld) return { element: withheldBox(image), seek: () => undefined };
  if (!video.rendition) return { element: h('p', { class: 'muted' }, 'No rendition was written for this video.'), seek: () => undefined };
  return videoPlayer(video, image.name, startAt);
}

/** Draws the page; returns where near-duplicates go and how to stop the video player's loading. */
function render(container: HTMLElement, image: ImageDetail, startAt?: number): { similar: HTMLElement; stopPlayer: () => void } {
  const facts = image.image ?? {};
  const similar = h('div', {}, h('p', { class: 'muted' }, 'Looking for near-duplicates…'));
  const video = image.mediaType === 'video' && image.video ? image.video : undefined;
  const stage: ReturnType<typeof videoStage> = video
    ? videoStage(image, video, startAt)
    : { element: viewer(image), seek: () => undefined };
  const mediaFacts: Array<[string, Child]> = video
    ? videoFacts(video)
    : [
        ['Format', facts.format ?? null],
        ['Size', facts.width ? `${facts.width} × ${facts.height} px` : null],
        ['Bytes', typeof facts.bytes === 'number' ? formatBytes(facts.bytes) : null],
        ['Animated', facts.animated ? `yes (${facts.pages ?? '?'} frames)` : 'no'],
        ['Alpha', facts.hasAlpha ? 'yes' : 'no'],
        ['Colour space', facts.space ?? null],
      ];
  replaceChildren(
    container,
    h('p', { class: 'crumbs' }, h('a', { href: '#/gallery' }, 'Gallery'), ' / ', h('span', {}, image.name)),
    h(
      'div',
      { class: 'title-row' },
      h('h1', { class: 'break' }, image.name),
      statusBadge(image.status ?? 'UNKNOWN'),
      image.moderated ? h('span', { class: 'tag tag-warn' }, 'flagged by moderation') : null,
    ),
    image.error
      ? h(
          'div',
          { class: 'failure-box' },
          h('h2', {}, 'Why it failed'),
          h('p', {}, h('strong', { class: 'error-name' }, image.error.name ?? 'Error')),
          h('p', { class: 'cause' }, image.error.cause ?? ''),
        )
      : null,
    h(
      'div',
      { class: 'detail-layout' },
      stage.element,
      h(
        'div',
        { class: 'side' },
        factList([
          [
            'Run',
            image.executionName && isAdmin()
              ? h('a', { href: hashLink(['runs', image.executionName]), 'data-testid': 'execution-link' }, 'Open execution')
              : null,
          ],
          [
            'Pipeline version',
            image.pipelineVersion ? h('span', { class: 'mono', 'data-testid': 'pipeline-version' }, image.pipelineVersion) : null,
          ],
          ...mediaFacts,
          ['Source key', h('span', { class: 'mono break' }, image.source?.key ?? '—')],
          ['Revision', h('span', { class: 'mono' }, image.revision ?? '—')],
          ['Perceptual hash', h('span', { class: 'mono' }, image.perceptualHash ?? '—')],
          ['Updated', formatTime(image.updatedAt)],
        ]),
      ),
    ),
    video ? section('Timeline', videoTimeline(image.analysis, video.durationSeconds, stage.seek)) : null,
    video ? section('Thumbnails', thumbnailStrip(video, stage.seek)) : null,
    video
      ? null
      : section(
          'Variants',
          image.variants.length
            ? h(
                'div',
                { class: 'table-scroll' },
                h(
                  'table',
                  { class: 'variants' },
                  h(
                    'thead',
                    {},
                    h(
                      'tr',
                      {},
                      h('th', { scope: 'col' }, 'File'),
                      h('th', { scope: 'col' }, 'Format'),
                      h('th', { scope: 'col' }, 'Size'),
                      h('th', { scope: 'col' }, 'Bytes'),
                    ),
                  ),
                  h(
                    'tbody',
                    {},
                    ...image.variants.map((variant) =>
                      h(
                        'tr',
                        {},
                        h('td', {}, h('a', { href: variant.url, target: '_blank', rel: 'noopener' }, variant.file)),
                        h('td', {}, variant.format ?? '—'),
                        h('td', {}, `${variant.width ?? '?'} × ${variant.height ?? '?'}`),
                        h('td', {}, typeof variant.bytes === 'number' ? formatBytes(variant.bytes) : '—'),
                      ),
                    ),
                  ),
                ),
              )
            : h('p', { class: 'muted' }, 'None.'),
        ),
    ...analysisPanels(image.analysis, section),
    peopleLinks(image.analysis, section),
    video
      ? null
      : section(
          'EXIF',
          image.exif && Object.keys(image.exif).length
            ? factList(Object.entries(image.exif).map(([key, value]) => [key, exifValue(value)]))
            : h('p', { class: 'muted' }, 'No EXIF.'),
        ),
    section('Near-duplicates', similar),
  );
  return { similar, stopPlayer: () => stage.stop?.() };
}

/** Image detail: variants, every analysis section with its boxes over the image, EXIF, near-duplicates and the run. */
export const imageDetailPage: Page = (container, route) => {
  const imageId = route.path[1];
  // `t` opens a video at a second (a label search result links there).
  const startAt = route.query.has('t') ? Number(route.query.get('t')) : undefined;
  let stopped = false;
  let stopPlayer = () => undefined as void;
  replaceChildren(container, h('p', { class: 'muted' }, 'Loading…'));
  api<{ image: ImageDetail }>(`/images/${encodeURIComponent(imageId)}`)
    .then(async ({ image }) => {
      if (stopped) return;
      const drawn = render(container, image, startAt);
      stopPlayer = drawn.stopPlayer;
      const similar = drawn.similar;
      const answer = await api<{ items: Array<{ distance: number; image: ImageSummary }> }>(
        `/images/${encodeURIComponent(imageId)}/similar`,
      ).catch(() => ({ items: [] }));
      if (stopped) return;
      replaceChildren(
        similar,
        answer.items.length
          ? h(
              'ul',
              { class: 'grid small-grid' },
              ...answer.items.map((entry) => {
                const card = imageCard(entry.image);
                card.querySelector('.card-tags')?.appendChild(h('span', { class: 'tag' }, `distance ${entry.distance}`));
                return card;
              }),
            )
          : h('p', { class: 'muted' }, 'None found.'),
      );
    })
    .catch((error) => {
      if (stopped) return;
      const text =
        error instanceof ApiError && error.status === 404
          ? 'No such image among yours (it may still be processing).'
          : `Could not load the image: ${(error as Error).message}`;
      replaceChildren(container, h('h1', {}, 'Image'), h('p', { class: 'notice' }, text));
    });
  return () => {
    stopped = true;
    stopPlayer();
  };
};
