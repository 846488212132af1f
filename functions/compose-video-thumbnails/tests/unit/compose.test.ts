import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeThumbnailsInputSchema, videoOutputsSchema } from '@smart-image-pipeline/contracts';
import sharp from 'sharp';
import { composeThumbnails, type FrameStore } from '../../src/compose';

const event = JSON.parse(readFileSync(join(__dirname, '../../../../events/compose-video-thumbnails/plan.json'), 'utf8'));

function memoryStore(objects: Map<string, Buffer>): FrameStore & { objects: Map<string, Buffer> } {
  return {
    objects,
    list: async (_bucket, prefix) => [...objects.keys()].filter((key) => key.startsWith(prefix)).sort(),
    get: async (_bucket, key) => objects.get(key)!,
    put: async (_bucket, key, body) => void objects.set(key, body),
  };
}

const frame = (shade: number, width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: shade, g: shade, b: shade } } })
    .jpeg()
    .toBuffer();

describe('composeThumbnails', () => {
  it('lays the captures out in time order as one sprite and takes the last poster capture', async () => {
    // Prepare
    const input = { ...composeThumbnailsInputSchema.parse(event), sourceOrder: event.sourceOrder };
    const { thumbnails, outputs } = input.plan;
    const objects = new Map<string, Buffer>();
    for (let i = 0; i < thumbnails.count; i += 1)
      objects.set(`${outputs.thumbnailPrefix}${String(i).padStart(7, '0')}.jpg`, await frame(i * 5, thumbnails.width, thumbnails.height));
    objects.set(`${outputs.posterPrefix}0000000.jpg`, await frame(0, 1280, 720));
    objects.set(`${outputs.posterPrefix}0000001.jpg`, await frame(200, 1280, 720));
    const store = memoryStore(objects);

    // Act
    const result = videoOutputsSchema.parse(await composeThumbnails(input, store));

    // Assess
    const rows = Math.ceil(thumbnails.count / thumbnails.columns);
    expect(result.sprite).toMatchObject({
      key: outputs.spriteKey,
      columns: thumbnails.columns,
      rows,
      count: thumbnails.count,
      intervalSeconds: thumbnails.intervalSeconds,
    });
    expect(await sharp(store.objects.get(outputs.spriteKey)!).metadata()).toMatchObject({
      width: thumbnails.columns * thumbnails.width,
      height: rows * thumbnails.height,
      format: 'jpeg',
    });
    expect(result.poster).toEqual({ key: `${outputs.posterPrefix}0000001.jpg`, width: 1280, height: 720 });
    const second = await sharp(store.objects.get(outputs.spriteKey)!)
      .extract({ left: thumbnails.width, top: 0, width: 4, height: 4 })
      .raw()
      .toBuffer();
    expect(second[0]).toBeGreaterThan(0);
  });

  it('fails by name when the transcode left no frames', async () => {
    // Act / Assess
    await expect(composeThumbnails(composeThumbnailsInputSchema.parse(event), memoryStore(new Map()))).rejects.toMatchObject({
      name: 'VideoTranscodeFailedError',
    });
  });
});
