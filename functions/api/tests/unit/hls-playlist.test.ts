import { GetObjectCommand } from '@aws-sdk/client-s3';
import { videoHlsKey } from '@smart-image-pipeline/contracts';
import { HlsPlaylistError, rewritePlaylist } from '../../src/images/hls-playlist';
import type { ImageItem } from '../../src/images/image-item';
import { oneItemApi, testS3Client } from '../support/one-item-api';

const OWNER = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const OTHER = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
const ID = 'c'.repeat(32);
const MASTER = videoHlsKey(ID, 'r1');
const FOLDER = MASTER.slice(0, MASTER.lastIndexOf('/') + 1);

const MASTER_TEXT = [
  '#EXTM3U',
  '#EXT-X-VERSION:3',
  '#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360',
  'index_360p.m3u8',
  '#EXT-X-STREAM-INF:BANDWIDTH=3500000,RESOLUTION=1280x720',
  'index_720p.m3u8',
  '',
].join('\n');
const MEDIA_TEXT = [
  '#EXTM3U',
  '#EXT-X-TARGETDURATION:6',
  '#EXT-X-MAP:URI="index_720p_init.mp4"',
  '#EXTINF:6.000,',
  'index_720p_00001.ts',
  '#EXTINF:2.040,',
  'index_720p_00002.ts',
  '#EXT-X-ENDLIST',
  '',
].join('\n');

/** Signs like the API does, but visibly: the key and format in a fake URL. */
const fakeSign = async (object: { key: string; format?: string }) => `https://signed.example/${object.key}?format=${object.format}`;

describe('rewritePlaylist', () => {
  it("keeps a master playlist's variant playlists relative, so the player fetches them through the same API route", async () => {
    // Act
    const text = await rewritePlaylist(MASTER_TEXT, MASTER, fakeSign);

    // Assess
    expect(text).toBe(MASTER_TEXT);
  });

  it('signs every media file a variant playlist names, segments and init sections alike, keeping the tags', async () => {
    // Act
    const text = await rewritePlaylist(MEDIA_TEXT, `${FOLDER}index_720p.m3u8`, fakeSign);

    // Assess
    expect(text.split('\n')).toEqual([
      '#EXTM3U',
      '#EXT-X-TARGETDURATION:6',
      `#EXT-X-MAP:URI="https://signed.example/${FOLDER}index_720p_init.mp4?format=mp4"`,
      '#EXTINF:6.000,',
      `https://signed.example/${FOLDER}index_720p_00001.ts?format=ts`,
      '#EXTINF:2.040,',
      `https://signed.example/${FOLDER}index_720p_00002.ts?format=ts`,
      '#EXT-X-ENDLIST',
      '',
    ]);
  });

  it.each(['../other/secret.ts', 'https://elsewhere.example/a.ts', 'sub/dir.ts', '/images/x/a.ts', 'noextension'])(
    'refuses a playlist that names %s, so the API never signs an object outside the ladder',
    async (uri) => {
      // Act
      const rewritten = rewritePlaylist(`#EXTM3U\n#EXTINF:6,\n${uri}\n`, MASTER, fakeSign);

      // Assess
      await expect(rewritten).rejects.toThrow(HlsPlaylistError);
    },
  );
});

/** A video with an HLS ladder, as StoreMetadata records it. */
function videoItem(status = 'SUCCEEDED', hls: { key: string } | null = { key: MASTER }): ImageItem {
  return {
    PK: `IMAGE#${ID}`,
    SK: 'IMAGE',
    imageId: ID,
    owner: OWNER,
    status,
    revision: 'r1',
    mediaType: 'video',
    variants: [],
    video: { durationSeconds: 8, outputs: { rendition: { key: `${FOLDER}../rendition.mp4`, width: 1280, height: 720 }, hls } },
  } as unknown as ImageItem;
}

/** The API over one stored item and a processed bucket holding the given objects; `reads` lists what it read. */
function apiFor(caller: string, item: ImageItem, objects: Record<string, string>) {
  const reads: string[] = [];
  const s3 = Object.assign(testS3Client(), {
    send: async (command: unknown) => {
      if (!(command instanceof GetObjectCommand)) throw new Error('only GetObject is expected');
      const { Bucket, Key } = command.input;
      reads.push(`${Bucket}/${Key}`);
      const body = Bucket === 'processed' ? objects[Key!] : undefined;
      if (body === undefined) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
      return { Body: { transformToString: async () => body } };
    },
  });
  return { get: oneItemApi({ sub: caller, isAdmin: false }, item, s3), reads };
}

const STORED = { [MASTER]: MASTER_TEXT, [`${FOLDER}index_720p.m3u8`]: MEDIA_TEXT };

describe('GET /images/{id}/hls/{playlist}', () => {
  it("names the master playlist in the owner's video detail and serves it, then a variant with presigned segments", async () => {
    // Prepare
    const { get } = apiFor(OWNER, videoItem(), STORED);

    // Act
    const detail = JSON.parse((await get(`/images/${ID}`)).body).image.video;
    const master = await get(detail.hlsPlaylist);
    const variant = await get(`/images/${ID}/hls/index_720p.m3u8`);

    // Assess
    expect(detail.hlsPlaylist).toBe(`/images/${ID}/hls/index.m3u8`);
    expect(master).toEqual({ status: 200, type: 'application/vnd.apple.mpegurl', body: MASTER_TEXT });
    expect(variant.status).toBe(200);
    const segment = new URL(variant.body.split('\n').find((line) => line.includes('_00001.ts'))!);
    expect(segment.pathname).toContain(`${FOLDER}index_720p_00001.ts`);
    expect(segment.searchParams.get('response-content-type')).toBe('video/mp2t');
    expect(segment.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers another user, a withheld video and a video without a ladder exactly like a missing one, reading nothing', async () => {
    for (const [caller, item] of [
      [OTHER, videoItem()],
      [OWNER, videoItem('QUARANTINED')],
      [OWNER, videoItem('REJECTED')],
      [OWNER, videoItem('SUCCEEDED', null)],
    ] as const) {
      // Prepare
      const { get, reads } = apiFor(caller, item, STORED);

      // Act
      const answer = await get(`/images/${ID}/hls/index.m3u8`);
      const detail = caller === OWNER ? JSON.parse((await get(`/images/${ID}`)).body).image.video : null;

      // Assess
      expect(answer.status).toBe(404);
      expect(reads).toEqual([]);
      if (detail) expect(detail.hlsPlaylist).toBeNull();
    }
  });

  it('refuses a name that is not a playlist file (400) and a playlist that is not stored (404)', async () => {
    // Prepare
    const { get } = apiFor(OWNER, videoItem(), STORED);

    // Act
    const notPlaylist = await get(`/images/${ID}/hls/index_720p_00001.ts`);
    const missing = await get(`/images/${ID}/hls/index_1080p.m3u8`);

    // Assess
    expect(notPlaylist.status).toBe(400);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).error.message).toContain('index_1080p.m3u8');
  });

  it('answers 502 when a stored playlist names a file outside its folder, signing nothing', async () => {
    // Prepare
    const { get } = apiFor(OWNER, videoItem(), { ...STORED, [MASTER]: '#EXTM3U\n#EXTINF:6,\n../../../w640.webp\n' });

    // Act
    const answer = await get(`/images/${ID}/hls/index.m3u8`);

    // Assess
    expect(answer.status).toBe(502);
    expect(answer.body).not.toContain('X-Amz-Signature');
  });
});
