import type { ErrorData, Level } from 'hls.js';
import { accessToken } from '../auth';
import { appConfig } from '../config';

/** What the caption shows and the quality menu offers while the ladder plays. */
export interface HlsState {
  /** The rungs, lowest first, with their index in hls.js's level list. */
  levels: Array<{ index: number; height: number; bitrate: number }>;
  /** The rung playing now, or null before the first one is chosen. */
  playing: number | null;
  /** The rung the viewer chose, or -1 for the automatic choice. */
  chosen: number;
}

/** A playing HLS ladder: how to change its rung and how to let it go. */
export interface HlsPlayback {
  choose(level: number): void;
  destroy(): void;
}

/** Reloads that do not get the failed media to load before giving up (a long video needs one per URL window, each counted afresh). */
const MAX_RELOADS = 3;

/**
 * Plays a video's HLS ladder in the player with hls.js (loaded only when a video page needs it). The playlists come
 * from the API with the user's token (GET /images/{id}/hls/…); the segments they name are presigned GETs, fetched
 * without it. A segment URL S3 refuses (403: its window has passed) or a fatal network error reloads the playlists, and
 * so fresh segment URLs, and playback carries on where the viewer was (playing again if it was playing); a media error
 * is recovered once; anything else, or a browser without Media Source Extensions, calls `fallBack` (the caller plays
 * the MP4 rendition instead).
 * @returns undefined when this browser cannot play it through hls.js (fallBack has been called).
 */
export async function playHls(
  player: HTMLVideoElement,
  playlistPath: string,
  onState: (state: HlsState) => void,
  fallBack: () => void,
): Promise<HlsPlayback | undefined> {
  const HlsPlayer = (await import('hls.js/light')).default;
  if (!HlsPlayer.isSupported()) {
    fallBack();
    return undefined;
  }
  const apiUrl = appConfig().apiUrl;
  const playlistUrl = `${apiUrl}${playlistPath}`;
  const hls = new HlsPlayer({
    autoStartLoad: false,
    // The transmuxer runs on the page: a worker would need a blob: script, which the console's CSP does not allow.
    enableWorker: false,
    xhrSetup: async (xhr: XMLHttpRequest, url: string) => {
      if (!url.startsWith(`${apiUrl}/`)) return; // a presigned segment carries its own signature
      const token = await accessToken();
      xhr.open('GET', url, true);
      if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    },
  });
  const state: HlsState = { levels: [], playing: null, chosen: -1 };
  let reloads = 0;
  let mediaRecovered = false;
  // Where the viewer was when the playlists were reloaded, and whether it was playing (a reload re-attaches the media,
  // which pauses it).
  let resume = { at: -1, playing: false };
  // Where the media that made the last reload starts (s): once a segment from there on loads, the reload worked.
  let failedFrom = Infinity;
  /** Fetches the playlists again, so fresh segment URLs, to carry on from where the viewer was. */
  const reload = (data: ErrorData) => {
    reloads += 1;
    resume = { at: player.currentTime > 0 ? player.currentTime : -1, playing: !player.paused && !player.ended };
    failedFrom = data.frag?.start ?? player.currentTime;
    hls.loadSource(playlistUrl);
  };

  hls.on(HlsPlayer.Events.MANIFEST_PARSED, (_event, data: { levels: Level[] }) => {
    state.levels = data.levels
      .map((level, index) => ({ index, height: level.height, bitrate: level.bitrate }))
      .sort((a, b) => a.height - b.height || a.bitrate - b.bitrate);
    if (state.chosen >= 0) hls.currentLevel = state.chosen;
    onState({ ...state });
    hls.startLoad(resume.at);
    if (resume.playing) {
      resume.playing = false;
      // The viewer pressed play before; a refused play() (the element was removed meanwhile) leaves it paused.
      player.play().catch(() => undefined);
    }
  });
  // The media that failed loaded after all: a later expiry (a long video outlives several URL windows) gets its own
  // reloads, while a segment refused whatever its URL still ends in the fallback.
  hls.on(HlsPlayer.Events.FRAG_LOADED, (_event, data: { frag: { start: number } }) => {
    if (data.frag.start < failedFrom) return;
    reloads = 0;
    failedFrom = Infinity;
  });
  hls.on(HlsPlayer.Events.LEVEL_SWITCHED, (_event, data: { level: number }) => {
    state.playing = data.level;
    onState({ ...state });
  });
  hls.on(HlsPlayer.Events.ERROR, (_event, data: ErrorData) => {
    // S3 answers a presigned URL past its window with 403. Such a segment reloads the playlists at once: hls.js would
    // otherwise try each rung (a rung whose playlist it loaded earlier names expired URLs too) and retry for half a
    // minute before calling it fatal, while the video stalls.
    const refused = data.details === HlsPlayer.ErrorDetails.FRAG_LOAD_ERROR && data.response?.code === 403;
    const recoverable = (data.fatal && data.type === HlsPlayer.ErrorTypes.NETWORK_ERROR) || refused;
    if (recoverable && reloads < MAX_RELOADS) {
      reload(data);
      return;
    }
    if (!data.fatal) return;
    if (data.type === HlsPlayer.ErrorTypes.MEDIA_ERROR && !mediaRecovered) {
      mediaRecovered = true;
      hls.recoverMediaError();
    } else {
      hls.destroy();
      fallBack();
    }
  });
  hls.attachMedia(player);
  hls.loadSource(playlistUrl);
  return {
    choose(level) {
      state.chosen = level;
      hls.currentLevel = level;
      onState({ ...state });
    },
    destroy: () => hls.destroy(),
  };
}
