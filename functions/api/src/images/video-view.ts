import { isObject, SECTION_IDS, type VideoFacts, type VideoOutputs } from '@smart-image-pipeline/contracts';
import { analysisOf } from './image-analysis';
import type { ImageItem, VariantItem } from './image-item';

/** The `video` attribute StoreMetadata writes on a video's item: the header facts, the outputs and what was analysed. */
export type StoredVideo = Partial<VideoFacts> & {
  outputs?: VideoOutputs | null;
  analysis?: { seconds?: number; clipped?: boolean } | null;
};

/** Signs one stored object of the processed bucket (the same signer the variants use). */
export type ObjectUrl = (object: VariantItem) => Promise<string>;

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The stored video attribute of an item, or undefined when the item is an image (or a video that failed before it). */
export function storedVideoOf(item: ImageItem): StoredVideo | undefined {
  return item.mediaType === 'video' && isObject(item.video) ? (item.video as StoredVideo) : undefined;
}

/** The stored key of a video's HLS master playlist; undefined without a ladder (switched off, or an image). */
export function hlsMasterKeyOf(item: ImageItem): string | undefined {
  const key = storedVideoOf(item)?.outputs?.hls?.key;
  return typeof key === 'string' && key.endsWith('.m3u8') ? key : undefined;
}

/** The duration of a video item in seconds; null for an image. */
export function durationOf(item: ImageItem): number | null {
  return num(storedVideoOf(item)?.durationSeconds);
}

/** The poster frame of a video item as a variant, so listings show it where an image shows its thumbnail. */
export function posterVariant(item: ImageItem): VariantItem | undefined {
  const poster = storedVideoOf(item)?.outputs?.poster;
  if (!poster || typeof poster.key !== 'string') return undefined;
  return { key: poster.key, format: 'jpg', width: poster.width, height: poster.height };
}

/**
 * The first second at which a matched label is seen in a video (the earliest segment of the label, or of a label that
 * has it as a parent), so a search result can open the player there; null for an image or a label without segments.
 */
export function firstSecondOf(item: ImageItem, label: string): number | null {
  if (!storedVideoOf(item)) return null;
  const wanted = label.toLowerCase();
  const starts = (analysisOf(item)?.sections[SECTION_IDS.labels]?.items ?? [])
    .filter((entry) => {
      const parents = Array.isArray(entry.attributes?.parents) ? entry.attributes.parents : [];
      return [entry.name, ...parents].some((name) => typeof name === 'string' && name.toLowerCase() === wanted);
    })
    .flatMap((entry) => (entry.segments ?? []).map((segment) => segment.start));
  return starts.length > 0 ? Math.min(...starts) : null;
}

/**
 * What the detail page shows of a video: its stream metadata, and short-lived URLs of the rendition, the poster and the
 * sprite. `served` is the caller's answer to the one withholding check (image-views.ts): a quarantined or rejected
 * video gets its metadata only, never a URL. The HLS ladder is served through the API (`hlsPlaylist`, a path under
 * the API's URL: GET /images/{id}/hls/{playlist} signs its segments), since one presigned URL cannot cover its files.
 */
export async function toVideoView(item: ImageItem, served: boolean, urlFor: ObjectUrl) {
  const video = storedVideoOf(item);
  if (!video) return null;
  const outputs = served ? (video.outputs ?? null) : null;
  const master = hlsMasterKeyOf(item);
  const signed = async (object: { key: string; width?: number; height?: number } | null | undefined, format: string) =>
    object && typeof object.key === 'string'
      ? {
          url: await urlFor({ key: object.key, format, width: object.width, height: object.height }),
          width: num(object.width),
          height: num(object.height),
        }
      : null;
  const sprite = outputs?.sprite ?? null;
  return {
    durationSeconds: num(video.durationSeconds),
    width: num(video.width),
    height: num(video.height),
    bytes: num(video.bytes),
    container: str(video.container),
    contentType: str(video.contentType),
    frameRate: num(video.frameRate),
    rotation: num(video.rotation) ?? 0,
    videoCodec: str(video.videoCodec),
    audioCodec: str(video.audioCodec),
    streams: (Array.isArray(video.streams) ? video.streams.filter(isObject) : []).map((stream) => ({
      kind: str(stream.kind) ?? 'other',
      codec: str(stream.codec),
      codecId: str(stream.codecId),
      width: num(stream.width),
      height: num(stream.height),
      frameRate: num(stream.frameRate),
      durationSeconds: num(stream.durationSeconds),
      sampleRate: num(stream.sampleRate),
      channels: num(stream.channels),
    })),
    /** How much of the video the analysis covered (the first minutes of a long one). */
    analysedSeconds: num(video.analysis?.seconds),
    analysisClipped: Boolean(video.analysis?.clipped),
    rendition: await signed(outputs?.rendition, 'mp4'),
    poster: await signed(outputs?.poster, 'jpg'),
    sprite: sprite
      ? {
          ...(await signed({ key: sprite.key }, 'jpg')),
          columns: sprite.columns,
          rows: sprite.rows,
          tileWidth: sprite.tileWidth,
          tileHeight: sprite.tileHeight,
          count: sprite.count,
          intervalSeconds: sprite.intervalSeconds,
        }
      : null,
    hls: Boolean(video.outputs?.hls),
    hlsPlaylist: served && master ? `/images/${item.imageId}/hls/${master.slice(master.lastIndexOf('/') + 1)}` : null,
  };
}

/** A video's detail view, as toVideoView builds it. */
export type VideoView = NonNullable<Awaited<ReturnType<typeof toVideoView>>>;
