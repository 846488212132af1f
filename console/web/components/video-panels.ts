import { SECTION_IDS, type AnalysisSection } from '@smart-image-pipeline/contracts/browser';
import type { VideoDetail } from '../api';
import { h, type Child } from '../dom';
import { formatBytes, formatClock, formatConfidence } from '../format';
import type { AnalysisView } from './analysis-sections';
import { playHls } from './hls-player';

/** Moves the player to a second (and shows it): what every timeline segment, table row and thumbnail does. */
export type Seek = (seconds: number) => void;

/** The sections drawn on the timeline, in this order: what is seen, then what moderation flagged. */
const TIMELINE_SECTIONS = [SECTION_IDS.labels, SECTION_IDS.moderation] as const;

/** One labelled stretch of the video. */
interface TimelineEntry {
  sectionId: string;
  section: string;
  name: string;
  confidence: number | null;
  start: number;
  end: number;
}

/** Every segment of the labels and moderation sections, earliest first (a label without segments is not on it). */
export function timelineEntries(analysis: AnalysisView | null | undefined): TimelineEntry[] {
  return TIMELINE_SECTIONS.flatMap((sectionId) => {
    const section: AnalysisSection | undefined = analysis?.sections[sectionId];
    return (section?.items ?? []).flatMap((item) =>
      (item.segments ?? []).map((segment) => ({
        sectionId,
        section: section?.title ?? sectionId,
        name: item.name,
        confidence: segment.confidence ?? item.confidence ?? null,
        start: segment.start,
        end: Math.max(segment.start, segment.end),
      })),
    );
  }).sort((a, b) => a.start - b.start || a.name.localeCompare(b.name));
}

/** The caption's words for the rendition being played. */
const mp4Caption = (video: VideoDetail) => `H.264 MP4 · ${video.rendition?.width ?? '?'}×${video.rendition?.height ?? '?'}`;

/**
 * The HTML5 player with the poster frame: the HLS ladder when the video has one (adaptive, with a quality menu;
 * hls-player.ts), else, or when this browser cannot play it, the H.264 MP4 rendition. `startAt` (a search result's
 * second) is applied once the metadata has loaded. Without a rendition (a withheld video has no URL) the caller shows
 * the placeholder instead. `stop` lets the ladder's loading go when the page changes.
 */
export function videoPlayer(video: VideoDetail, name: string, startAt?: number): { element: HTMLElement; seek: Seek; stop: () => void } {
  const player = h('video', {
    class: 'player',
    controls: true,
    preload: 'metadata',
    playsinline: true,
    'data-testid': 'video-player',
    'aria-label': `Video: ${name}`,
    ...(video.poster ? { poster: video.poster.url } : {}),
    ...(video.rendition?.width && video.rendition.height
      ? { width: String(video.rendition.width), height: String(video.rendition.height) }
      : {}),
  });
  const source = h('span', { class: 'muted small', 'data-testid': 'video-source' }, mp4Caption(video));
  const quality = h('select', { 'aria-label': 'Quality', 'data-testid': 'video-quality', hidden: true });
  const playMp4 = () => {
    quality.hidden = true;
    source.textContent = mp4Caption(video);
    source.dataset.kind = 'mp4';
    if (video.rendition) player.appendChild(h('source', { src: video.rendition.url, type: 'video/mp4' }));
    player.load();
  };
  let stop = () => undefined as void;
  if (video.hlsPlaylist) {
    source.textContent = 'HLS';
    source.dataset.kind = 'hls';
    let stopped = false;
    const playback = playHls(
      player,
      video.hlsPlaylist,
      (state) => {
        const playing = state.levels.find((level) => level.index === state.playing);
        source.textContent = `HLS · ${state.chosen < 0 ? 'auto' : 'fixed'}${playing ? ` · ${playing.height}p` : ''}`;
        if (quality.options.length !== state.levels.length + 1)
          quality.replaceChildren(
            h('option', { value: '-1' }, 'Auto'),
            ...[...state.levels].reverse().map((level) => h('option', { value: String(level.index) }, `${level.height}p`)),
          );
        quality.value = String(state.chosen);
        quality.hidden = state.levels.length < 2;
      },
      playMp4,
    ).catch(() => {
      playMp4(); // hls.js failed to load: the MP4 rendition still plays
      return undefined;
    });
    quality.addEventListener('change', () => void playback.then((hls) => hls?.choose(Number(quality.value))));
    stop = () => {
      stopped = true;
      void playback.then((hls) => hls?.destroy());
    };
    void playback.then((hls) => {
      if (stopped) hls?.destroy();
    });
  } else playMp4();
  const position = h('span', { class: 'muted small', role: 'status', 'data-testid': 'player-position' });
  const seek: Seek = (seconds) => {
    const apply = () => {
      player.currentTime = seconds;
      position.textContent = `At ${formatClock(seconds)}`;
    };
    // Setting the time before the metadata is known is lost in some browsers; wait for it then.
    if (player.readyState >= HTMLMediaElement.HAVE_METADATA) apply();
    else player.addEventListener('loadedmetadata', apply, { once: true });
    player.focus();
  };
  if (startAt !== undefined && Number.isFinite(startAt) && startAt > 0) seek(startAt);
  const caption = h('figcaption', {}, source, quality, position);
  return { element: h('figure', { class: 'viewer video-viewer' }, player, caption), seek, stop };
}

/** The stream metadata as fact-list entries: duration, size, codecs, container, frame rate, what was analysed. */
export function videoFacts(video: VideoDetail): Array<[string, Child]> {
  const audio = video.streams.find((stream) => stream.kind === 'audio');
  return [
    ['Duration', h('span', { 'data-testid': 'video-duration' }, formatClock(video.durationSeconds))],
    ['Size', video.width ? `${video.width} × ${video.height} px` : null],
    ['Bytes', typeof video.bytes === 'number' ? formatBytes(video.bytes) : null],
    ['Container', video.container],
    ['Video codec', h('span', { 'data-testid': 'video-codec' }, video.videoCodec ?? '—')],
    ['Frame rate', typeof video.frameRate === 'number' ? `${Math.round(video.frameRate * 100) / 100} fps` : null],
    [
      'Audio',
      audio
        ? `${audio.codec ?? audio.codecId ?? '?'}${audio.sampleRate ? ` · ${audio.sampleRate} Hz` : ''}${audio.channels ? ` · ${audio.channels} ch` : ''}`
        : 'none',
    ],
    [
      'Analysed',
      video.analysedSeconds === null
        ? null
        : `${formatClock(video.analysedSeconds)}${video.analysisClipped ? ' (the first minutes only)' : ' (all of it)'}`,
    ],
  ];
}

/** The sprite's thumbnails as buttons, each showing its tile of the sheet and seeking to its second. */
export function thumbnailStrip(video: VideoDetail, seek: Seek): HTMLElement {
  const sprite = video.sprite;
  if (!sprite) return h('p', { class: 'muted' }, video.rendition ? 'No thumbnails were made.' : 'Not shown while withheld.');
  const spread = (index: number, of: number) => (of > 1 ? (index / (of - 1)) * 100 : 0);
  const tiles = Array.from({ length: sprite.count }, (_, index) => {
    const seconds = index * sprite.intervalSeconds;
    const tile = h('button', {
      type: 'button',
      class: 'sprite-tile',
      'aria-label': `Play from ${formatClock(seconds)}`,
      title: formatClock(seconds),
    });
    tile.style.aspectRatio = `${sprite.tileWidth} / ${sprite.tileHeight}`;
    tile.style.backgroundImage = `url("${sprite.url}")`;
    tile.style.backgroundSize = `${sprite.columns * 100}% ${sprite.rows * 100}%`;
    tile.style.backgroundPosition = `${spread(index % sprite.columns, sprite.columns)}% ${spread(Math.floor(index / sprite.columns), sprite.rows)}%`;
    tile.addEventListener('click', () => seek(seconds));
    return h('li', {}, tile);
  });
  return h(
    'div',
    {},
    h(
      'p',
      { class: 'muted small' },
      `${sprite.count} thumbnails, one every ${sprite.intervalSeconds} s (one ${sprite.columns}-column sprite sheet).`,
    ),
    h('ul', { class: 'sprite-strip', 'data-testid': 'sprite-strip' }, ...tiles),
  );
}

/**
 * The labels and moderation segments over time: a bar per label (each segment a button that seeks the player) and
 * the same segments as a table with the times as text, for screen readers and small screens.
 */
export function videoTimeline(analysis: AnalysisView | null | undefined, durationSeconds: number | null, seek: Seek): HTMLElement {
  const entries = timelineEntries(analysis);
  if (entries.length === 0) return h('p', { class: 'muted' }, 'No labels over time.');
  const duration = Math.max(durationSeconds ?? 0, ...entries.map((entry) => entry.end), 1);
  const describe = (entry: TimelineEntry) =>
    `${entry.name}, ${formatClock(entry.start)} to ${formatClock(entry.end)}: play from ${formatClock(entry.start)}`;
  const rows = new Map<string, TimelineEntry[]>();
  for (const entry of entries)
    rows.set(`${entry.sectionId}\u0000${entry.name}`, [...(rows.get(`${entry.sectionId}\u0000${entry.name}`) ?? []), entry]);
  const bars = [...rows.values()].map((row) => {
    const track = h('div', { class: 'track' });
    for (const entry of row) {
      const segment = h('button', {
        type: 'button',
        class: `segment segment-${entry.sectionId}`,
        'aria-label': describe(entry),
        title: `${formatClock(entry.start)}–${formatClock(entry.end)}`,
        'data-start': String(entry.start),
        // A pointer shortcut; keyboard and screen-reader users get the same segments as the table's buttons.
        tabindex: '-1',
      });
      segment.style.left = `${(entry.start / duration) * 100}%`;
      segment.style.width = `${(Math.max(entry.end - entry.start, duration / 200) / duration) * 100}%`;
      segment.addEventListener('click', () => seek(entry.start));
      track.appendChild(segment);
    }
    return h(
      'li',
      { class: `video-timeline-row segments-${row[0].sectionId}` },
      h('span', { class: 'video-timeline-name' }, row[0].name),
      track,
    );
  });
  const table = h(
    'table',
    { class: 'video-timeline-table', 'data-testid': 'timeline-table' },
    h('caption', { class: 'visually-hidden' }, 'Labels and moderation segments over time'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Label'),
        h('th', { scope: 'col' }, 'From'),
        h('th', { scope: 'col' }, 'To'),
        h('th', { scope: 'col' }, 'Confidence'),
      ),
    ),
    h(
      'tbody',
      {},
      ...entries.map((entry) => {
        const play = h(
          'button',
          { type: 'button', class: 'seek-button', 'aria-label': describe(entry), 'data-start': String(entry.start) },
          formatClock(entry.start),
        );
        play.addEventListener('click', () => seek(entry.start));
        return h(
          'tr',
          { class: `segments-${entry.sectionId}` },
          h('td', {}, entry.name, entry.sectionId === SECTION_IDS.moderation ? h('span', { class: 'tag tag-warn' }, 'moderation') : null),
          h('td', {}, play),
          h('td', {}, formatClock(entry.end)),
          h('td', {}, formatConfidence(entry.confidence)),
        );
      }),
    ),
  );
  return h(
    'div',
    { class: 'video-timeline', 'data-testid': 'video-timeline' },
    h('ol', { class: 'video-timeline-bars', 'aria-hidden': 'true' }, ...bars),
    h(
      'div',
      { class: 'video-timeline-scale muted small', 'aria-hidden': 'true' },
      h('span', {}, '0:00'),
      h('span', {}, formatClock(duration)),
    ),
    table,
  );
}
