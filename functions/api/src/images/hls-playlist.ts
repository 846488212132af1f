import type { VariantItem } from './image-item';

/**
 * A playlist file name the API serves from a video's HLS folder (MediaConvert's SINGLE_DIRECTORY layout puts the
 * master, the variant playlists and every segment in one folder): a plain name, never a path.
 */
export const PLAYLIST_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}\.m3u8$/;

/** A media file a playlist may name beside it: a plain name with an extension. */
const MEDIA_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}\.[A-Za-z0-9]{1,8}$/;

/** A stored playlist that names something outside its folder (not what the transcoder writes). */
export class HlsPlaylistError extends Error {
  constructor(playlistKey: string, uri: string) {
    super(`The HLS playlist ${playlistKey} names ${JSON.stringify(uri)}, which is not a file beside it.`);
    this.name = 'HlsPlaylistError';
  }
}

/** The folder of an HLS master playlist's key, with its trailing slash. */
export function hlsFolderOf(masterKey: string): string {
  return masterKey.slice(0, masterKey.lastIndexOf('/') + 1);
}

/** Signs one object of the processed bucket (the variants' signer). */
export type SignObject = (object: VariantItem) => Promise<string>;

/**
 * Rewrites a stored playlist so a browser plays it with nothing but its API token: a playlist it names stays relative
 * (the player resolves it against this route's URL, so it comes through the API too, with the same checks), and every
 * media file (segments, init sections, keys, subtitles) becomes a short-lived presigned URL. Only plain names beside
 * the playlist are accepted, so a playlist can never make the API sign another object.
 * @throws HlsPlaylistError when the playlist names a path, a URL or a parent folder.
 */
export async function rewritePlaylist(text: string, playlistKey: string, sign: SignObject): Promise<string> {
  const folder = hlsFolderOf(playlistKey);
  const resolve = async (uri: string): Promise<string> => {
    if (PLAYLIST_NAME.test(uri)) return uri;
    if (!MEDIA_NAME.test(uri) || uri.includes('..')) throw new HlsPlaylistError(playlistKey, uri);
    return sign({ key: `${folder}${uri}`, format: uri.slice(uri.lastIndexOf('.') + 1).toLowerCase() });
  };
  const lines = await Promise.all(
    text.split(/\r?\n/).map(async (line) => {
      const trimmed = line.trim();
      if (trimmed === '') return line;
      if (!trimmed.startsWith('#')) return resolve(trimmed);
      // Tags that name a file carry it in a quoted URI attribute (EXT-X-MAP, EXT-X-KEY, EXT-X-MEDIA, …).
      const match = /URI="([^"]*)"/.exec(trimmed);
      return match ? trimmed.replace(match[0], `URI="${await resolve(match[1])}"`) : line;
    }),
  );
  return lines.join('\n');
}
