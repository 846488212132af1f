import type { VideoFacts, VideoOutputs } from '@smart-image-pipeline/contracts';
import type { ImageItem } from '../../src/images/image-item';
import { toImageSummary } from '../../src/images/image-views';
import { oneItemApi } from '../support/one-item-api';

const OWNER = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const OTHER = { sub: '1b4e28ba-2fa1-41d2-883f-0016d3cca427', username: 'bob', groups: [], isAdmin: false };
const ID = 'b'.repeat(32);
const PREFIX = `images/${ID}/r1/video/`;

const facts: VideoFacts = {
  container: 'mp4',
  contentType: 'video/mp4',
  bytes: 1_234_567,
  durationSeconds: 8.04,
  width: 1280,
  height: 720,
  rotation: 0,
  frameRate: 25,
  videoCodec: 'h264',
  audioCodec: 'aac',
  streams: [
    { kind: 'video', codecId: 'avc1', codec: 'h264', width: 1280, height: 720, frameRate: 25, durationSeconds: 8.04 },
    { kind: 'audio', codecId: 'mp4a', codec: 'aac', sampleRate: 48000, channels: 2 },
  ],
  headerBytesRead: 1202,
};

const outputs: VideoOutputs = {
  rendition: { key: `${PREFIX}rendition.mp4`, width: 1280, height: 720 },
  poster: { key: `${PREFIX}frames-poster.0000000.jpg`, width: 1280, height: 720 },
  sprite: { key: `${PREFIX}sprite.jpg`, columns: 8, rows: 1, tileWidth: 160, tileHeight: 90, count: 8, intervalSeconds: 1, bytes: 20_000 },
  hls: null,
};

/** A video's item as StoreMetadata writes it (items.ts videoAttributes), with labels over time. */
function videoItem(status = 'SUCCEEDED'): ImageItem {
  return {
    PK: `IMAGE#${ID}`,
    SK: 'IMAGE',
    imageId: ID,
    owner: OWNER,
    status,
    revision: 'r1',
    source: { bucket: 'uploads', key: `uploads/${OWNER}/00000000-0000-4000-8000-000000000001-walk.mp4` },
    mediaType: 'video',
    variants: [],
    thumbnailKey: outputs.poster!.key,
    video: { ...facts, outputs, analysis: { bucket: 'processed', key: outputs.rendition.key, seconds: 8.04, clipped: false } },
    analysis: {
      sections: {
        labels: {
          title: 'Labels',
          detector: 'StartLabelDetection',
          items: [
            {
              name: 'Dog',
              confidence: 91,
              attributes: { parents: ['Animal'] },
              segments: [
                { start: 12, end: 15 },
                { start: 3, end: 5 },
              ],
            },
            { name: 'Tree', confidence: 80, attributes: { parents: ['Plant'] }, segments: [{ start: 0, end: 8 }] },
          ],
        },
      },
    },
  };
}

async function detail(caller: { sub: string; isAdmin: boolean }, item: ImageItem) {
  const { status, body } = await oneItemApi(caller, item)(`/images/${ID}`);
  return { status, body: JSON.parse(body) };
}

describe('a video in the API', () => {
  it('gives its owner the stream metadata and presigned URLs of the rendition, poster and sprite, not the stored keys', async () => {
    // Act
    const { status, body } = await detail({ sub: OWNER, isAdmin: false }, videoItem());

    // Assess
    expect(status).toBe(200);
    const video = body.image.video;
    expect(body.image.mediaType).toBe('video');
    expect(video).toMatchObject({
      durationSeconds: 8.04,
      width: 1280,
      height: 720,
      bytes: 1_234_567,
      container: 'mp4',
      videoCodec: 'h264',
      audioCodec: 'aac',
      analysedSeconds: 8.04,
      analysisClipped: false,
      hls: false,
      sprite: { columns: 8, rows: 1, tileWidth: 160, tileHeight: 90, count: 8, intervalSeconds: 1 },
    });
    expect(video.streams.map((stream: { kind: string }) => stream.kind)).toEqual(['video', 'audio']);
    const rendition = new URL(video.rendition.url);
    expect(rendition.pathname).toContain(outputs.rendition.key);
    expect(rendition.searchParams.get('response-content-type')).toBe('video/mp4');
    expect(rendition.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(new URL(video.poster.url).searchParams.get('response-content-type')).toBe('image/jpeg');
    expect(new URL(video.sprite.url).pathname).toContain(outputs.sprite!.key);
    expect(JSON.stringify(body)).not.toContain('"key":"images/');
  });

  it('serves nothing of a quarantined or rejected video: metadata only, no URL', async () => {
    for (const status of ['QUARANTINED', 'REJECTED']) {
      // Act
      const { body } = await detail({ sub: OWNER, isAdmin: true }, videoItem(status));
      const summary = await toImageSummary(videoItem(status), async () => 'https://signed.example/');

      // Assess
      expect(body.image).toMatchObject({ withheld: true, variants: [], thumbnail: null });
      expect(body.image.video).toMatchObject({ durationSeconds: 8.04, rendition: null, poster: null, sprite: null });
      expect(JSON.stringify(body)).not.toContain('X-Amz-Signature');
      expect(summary).toMatchObject({ withheld: true, thumbnail: null });
    }
  });

  it("answers another user's video like a missing one", async () => {
    // Act
    const { status, body } = await detail(OTHER, videoItem());

    // Assess
    expect(status).toBe(404);
    expect(JSON.stringify(body)).not.toContain('X-Amz-Signature');
  });

  it('lists a video with its poster and duration, and a label search result with the second the label is first seen', async () => {
    // Act
    const plain = await toImageSummary(videoItem(), async (object) => `https://signed.example/${object.key}`);
    const byParent = await toImageSummary(videoItem(), async () => 'https://signed.example/', 'animal');
    const absent = await toImageSummary(videoItem(), async () => 'https://signed.example/', 'cat');

    // Assess
    expect(plain).toMatchObject({ mediaType: 'video', durationSeconds: 8.04, matchedLabel: null });
    expect(plain.thumbnail).toMatchObject({ url: `https://signed.example/${outputs.poster!.key}`, width: 1280, height: 720 });
    expect(byParent.matchedLabel).toEqual({ name: 'Animal', confidence: 91, seconds: 3 });
    expect(absent.matchedLabel).toEqual({ name: 'cat', confidence: null, seconds: null });
  });

  it('keeps an image an image: no video fields, no seconds', async () => {
    // Act
    const summary = await toImageSummary({ imageId: ID, status: 'SUCCEEDED', variants: [] }, async () => 'x', 'dog');

    // Assess
    expect(summary).toMatchObject({ mediaType: 'image', durationSeconds: null, thumbnail: null, matchedLabel: { seconds: null } });
  });
});
