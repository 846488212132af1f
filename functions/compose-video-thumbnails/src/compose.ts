import { SOURCE_ORDER_METADATA, type ComposeThumbnailsInput, type VideoOutputs } from '@smart-image-pipeline/contracts';
import sharp from 'sharp';
import { VideoTranscodeFailedError } from './errors';

/** The S3 calls the step makes; S3 in Lambda, a map in tests. */
export interface FrameStore {
  /** Keys under a prefix, in key order (frame captures are numbered, so key order is time order). */
  list(bucket: string, prefix: string): Promise<string[]>;
  get(bucket: string, key: string): Promise<Buffer>;
  put(bucket: string, key: string, body: Buffer, contentType: string, metadata: Record<string, string>): Promise<void>;
}

/** A sprite holds every thumbnail; more than this many frames means the transcode did not follow the plan. */
const MAX_FRAMES = 200;

/**
 * Reads the thumbnail frame captures, lays them out as one JPEG sprite sheet (columns from the plan, rows as needed;
 * tile n shows second n x interval), and picks the poster (the last poster capture: the one at 10% of the duration).
 * @throws VideoTranscodeFailedError when the frames are missing.
 */
export async function composeThumbnails(
  input: ComposeThumbnailsInput & { sourceOrder?: string },
  store: FrameStore,
): Promise<VideoOutputs> {
  const { plan } = input;
  const { bucket } = plan.outputs;
  const [thumbKeys, posterKeys] = await Promise.all([
    store.list(bucket, plan.outputs.thumbnailPrefix),
    store.list(bucket, plan.outputs.posterPrefix),
  ]);
  if (thumbKeys.length === 0 || posterKeys.length === 0) {
    throw new VideoTranscodeFailedError(
      `The transcode left ${thumbKeys.length} thumbnails and ${posterKeys.length} poster frames under s3://${bucket}/${plan.outputs.thumbnailPrefix}`,
    );
  }
  const frames = thumbKeys.slice(0, Math.min(MAX_FRAMES, plan.thumbnails.count));
  const { width: tileWidth, height: tileHeight, columns } = plan.thumbnails;
  const rows = Math.ceil(frames.length / columns);
  const tiles = await Promise.all(
    frames.map(async (key, index) => ({
      input: await sharp(await store.get(bucket, key))
        .resize(tileWidth, tileHeight, { fit: 'cover' })
        .toBuffer(),
      left: (index % columns) * tileWidth,
      top: Math.floor(index / columns) * tileHeight,
    })),
  );
  const sprite = await sharp({ create: { width: columns * tileWidth, height: rows * tileHeight, channels: 3, background: '#000000' } })
    .composite(tiles)
    .jpeg({ quality: 75, mozjpeg: true })
    .toBuffer();
  const metadata: Record<string, string> = input.sourceOrder ? { [SOURCE_ORDER_METADATA]: input.sourceOrder } : {};
  await store.put(bucket, plan.outputs.spriteKey, sprite, 'image/jpeg', metadata);

  const posterKey = posterKeys[posterKeys.length - 1];
  const poster = await sharp(await store.get(bucket, posterKey)).metadata();
  return {
    rendition: { key: plan.outputs.renditionKey, width: plan.outputs.renditionWidth, height: plan.outputs.renditionHeight },
    poster: { key: posterKey, width: poster.width ?? plan.outputs.renditionWidth, height: poster.height ?? plan.outputs.renditionHeight },
    sprite: {
      key: plan.outputs.spriteKey,
      columns,
      rows,
      tileWidth,
      tileHeight,
      count: frames.length,
      intervalSeconds: plan.thumbnails.intervalSeconds,
      bytes: sprite.length,
    },
    hls: plan.outputs.hlsKey ? { key: plan.outputs.hlsKey } : null,
  };
}
