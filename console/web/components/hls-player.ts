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

/** Fatal network errors (an expired segment URL, a dropped connection) recovered before giving up. */
const MAX_RELOADS = 3;

/**
 * Plays a video's HLS ladder in the player with hls.js (loaded only when a video page needs it). The playlists come
 * from the API with the user's token (GET /images/{id}/hls/…); the segments they name are presigned GETs, fetched
 * without it. A fatal network error reloads the playlists, and so fresh segment URLs, where the viewer was; a media
 * error is recovered once; anything else, or a browser without Media Source Extensions, calls `fallBack` (the caller
 * plays the MP4 rendition instead).
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
  let resumeAt = -1;

  hls.on(HlsPlayer.Events.MANIFEST_PARSED, (_event, data: { levels: Level[] }) => {
    state.levels = data.levels
      .map((level, index) => ({ index, height: level.height, bitrate: level.bitrate }))
      .sort((a, b) => a.height - b.height || a.bitrate - b.bitrate);
    if (state.chosen >= 0) hls.currentLevel = state.chosen;
    onState({ ...state });
    hls.startLoad(resumeAt);
  });
  hls.on(HlsPlayer.Events.LEVEL_SWITCHED, (_event, data: { level: number }) => {
    state.playing = data.level;
    onState({ ...state });
  });
  hls.on(HlsPlayer.Events.ERROR, (_event, data: ErrorData) => {
    if (!data.fatal) return;
    if (data.type === HlsPlayer.ErrorTypes.NETWORK_ERROR && reloads < MAX_RELOADS) {
      reloads += 1;
      resumeAt = player.currentTime > 0 ? player.currentTime : -1;
      hls.loadSource(playlistUrl);
    } else if (data.type === HlsPlayer.ErrorTypes.MEDIA_ERROR && !mediaRecovered) {
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
