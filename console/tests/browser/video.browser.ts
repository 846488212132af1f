import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { uploadKeyFor } from '@smart-image-pipeline/contracts';
import { signInThroughHostedUi } from '../../../local/services/cognito-idp/sign-in-client';
import { flowersThenPersonClip } from '../../../tests/support/video-clips';
import { newWatchedPage, openRoute } from '../support/browser-page';
import { startConsoleUnderTest, type ConsoleUnderTest } from '../support/console-stack';
import { launchChromium } from './chromium';

/** A presigned URL's object address (origin and path), without its signature. */
const withoutQuery = (url: string): string => url.split('?')[0];

// Bounds a hang: the clip is transcoded and sampled through the local models on a shared 2-core machine. It times nothing.
jest.setTimeout(600_000);

const ARTIFACTS = path.join(path.resolve(__dirname, '../../..'), 'test-artifacts/console');

interface Segment {
  start: number;
  end: number;
}

let stack: ConsoleUnderTest;
let browser: { context: BrowserContext; close(): Promise<void> };
let imageId: string;
/** Where the API says Person is first seen, and every labelled segment of the video. */
let personAt: number;
let segments: Segment[];
let detail: {
  video: {
    durationSeconds: number;
    poster: { url: string; width: number };
    sprite: { count: number; intervalSeconds: number };
    rendition: { url: string; height: number };
    hlsPlaylist: string | null;
  };
};
const pageErrors: string[] = [];

async function openPage(width: number, hash: string, options: { withoutMediaSource?: boolean } = {}): Promise<Page> {
  // Console errors count too: a refused rendition or poster shows only there.
  const page = await newWatchedPage(browser.context, width, pageErrors);
  // A browser that cannot play HLS through Media Source Extensions (an old or locked-down one).
  if (options.withoutMediaSource)
    await page.addInitScript(() => {
      Object.defineProperty(window, 'MediaSource', { value: undefined });
      Object.defineProperty(window, 'ManagedMediaSource', { value: undefined });
    });
  await openRoute(page, stack.console.url, hash);
  return page;
}

/**
 * The same object presigned an hour ago for 60 s, as the API signed it: what a playlist's segment URL is once the
 * viewer has watched past its window. The local S3 answers it 403 AccessDenied "Request has expired", as S3 does.
 */
async function expiredUrlFor(url: string): Promise<string> {
  const { origin, pathname } = new URL(url);
  const [bucket, ...key] = pathname.slice(1).split('/').map(decodeURIComponent);
  const s3 = new S3Client({
    endpoint: origin,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const expired = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key.join('/') }), {
    expiresIn: 60,
    signingDate: new Date(Date.now() - 3_600_000),
  });
  s3.destroy();
  if (withoutQuery(expired) !== withoutQuery(url))
    throw new Error(`re-signing ${withoutQuery(url)} gave another address: ${withoutQuery(expired)}`);
  return expired;
}

/** Waits until the player knows the video's duration (its metadata loaded from the presigned rendition URL). */
async function metadataLoaded(page: Page): Promise<number> {
  const player = page.locator('[data-testid="video-player"]');
  await player.waitFor();
  await page.waitForFunction(() => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="video-player"]');
    return Boolean(video && video.readyState >= HTMLMediaElement.HAVE_METADATA && video.duration > 0);
  });
  return player.evaluate((video: HTMLVideoElement) => video.duration);
}

/** A segment the page fetched: its place in its rung (0 = the first), the answer, and whether the master had been reloaded. */
interface SegmentAnswer {
  index: number;
  status: number;
  afterReload: boolean;
  body: Promise<string>;
}

/**
 * Serves the video's HLS playlists to `page` with every rung's segments after the first named by expired URLs: until
 * the master playlist is fetched again (`untilReload`: the viewer has played past the window in which the API signed
 * them), or on every fetch (a segment S3 refuses whatever the URL). The first expired request waits for `release()`,
 * so the error comes once the test has the video playing.
 */
async function expireLaterSegments(page: Page, options: { untilReload: boolean }) {
  const hlsFolder = `${stack.webApp.apiUrl}/images/${imageId}/hls/`;
  const masterUrl = `${stack.webApp.apiUrl}${detail.video.hlsPlaylist}`;
  let masterFetches = 0;
  let laterSegmentStart = Number.NaN;
  const segmentIndex = new Map<string, number>();
  const expiredSignatures = new Set<string>();
  const answers: SegmentAnswer[] = [];
  await page.route(
    (url) => url.href.startsWith(hlsFolder),
    async (route) => {
      const response = await route.fetch();
      let body = await response.text();
      if (route.request().url() === masterUrl) masterFetches += 1;
      else {
        const lines = body.split('\n');
        const segmentLines = lines.flatMap((line, index) => (line.trim() !== '' && !line.startsWith('#') ? [index] : []));
        segmentLines.forEach((line, index) => segmentIndex.set(withoutQuery(lines[line]), index));
        laterSegmentStart = Number(/^#EXTINF:([\d.]+)/m.exec(body)?.[1]);
        if (masterFetches === 1 || !options.untilReload)
          for (const line of segmentLines.slice(1)) {
            lines[line] = await expiredUrlFor(lines[line]);
            expiredSignatures.add(new URL(lines[line]).searchParams.get('X-Amz-Signature')!);
          }
        body = lines.join('\n');
      }
      await route.fulfill({ response, body });
    },
  );
  let release = () => undefined as void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => expiredSignatures.has(url.searchParams.get('X-Amz-Signature') ?? ''),
    async (route) => {
      await released;
      // A request the player gave up on meanwhile (its first-byte timeout) cannot be continued.
      await route.continue().catch(() => undefined);
    },
  );
  page.on('response', (response) => {
    const index = segmentIndex.get(withoutQuery(response.url()));
    if (index === undefined) return;
    const body = response.status() === 200 ? Promise.resolve('') : response.text().catch(() => '');
    answers.push({ index, status: response.status(), afterReload: masterFetches > 1, body });
  });
  return {
    release,
    answers,
    masterFetches: () => masterFetches,
    /** Where the second segment starts (the first segment's EXTINF). */
    laterSegmentStart: () => laterSegmentStart,
    /** The 403 answers, with their bodies. */
    refused: () =>
      Promise.all(answers.filter((answer) => answer.status === 403).map(async (answer) => ({ ...answer, body: await answer.body }))),
  };
}

/** Starts the video (muted, as browsers allow without a gesture) once its metadata has loaded, and waits until it plays. */
async function playing(page: Page): Promise<void> {
  await metadataLoaded(page);
  await page.locator('[data-testid="video-player"]').evaluate(async (video: HTMLVideoElement) => {
    video.muted = true;
    await video.play();
  });
  await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="video-player"]')?.currentTime ?? 0) > 0);
}

/** The player's current time once it has settled on `seconds` (a seek completes asynchronously). */
async function seekedTo(page: Page, seconds: number): Promise<number> {
  await page.waitForFunction(
    (target) => {
      const video = document.querySelector<HTMLVideoElement>('[data-testid="video-player"]');
      return Boolean(video && !video.seeking && Math.abs(video.currentTime - target) < 0.25);
    },
    seconds,
    { timeout: 30_000 },
  );
  return page.locator('[data-testid="video-player"]').evaluate((video: HTMLVideoElement) => video.currentTime);
}

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  // Made by the ffmpeg `npm ci` installs: 4 s of flowers, then 4 s of a person, at 720p.
  const clip = await readFile(await flowersThenPersonClip());
  // With the HLS ladder: pages play it through hls.js; a browser without Media Source Extensions plays the MP4.
  stack = await startConsoleUnderTest({ parameterOverrides: { EnableHls: 'true' } });
  const token = (
    await signInThroughHostedUi({
      authDomainUrl: stack.webApp.authDomainUrl,
      clientId: stack.webApp.userPoolClientId,
      redirectUri: `${stack.console.url}/`,
    })
  ).access_token;
  const sub = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).sub as string;
  // Uploaded into the default user's folder, as a browser upload lands, so the video is theirs.
  const s3 = new S3Client({ endpoint: stack.edgeUrl, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await s3.send(
    new PutObjectCommand({
      Bucket: stack.stack.resources.uploadsBucket,
      Key: uploadKeyFor(sub, '00000000-0000-4000-8000-000000000a1d', 'walk.mp4'),
      Body: clip,
      ContentType: 'video/mp4',
    }),
  );
  s3.destroy();
  await stack.waitForIdle();
  const api = async (route: string) =>
    (await fetch(`${stack.webApp.apiUrl}${route}`, { headers: { authorization: `Bearer ${token}` } })).json();
  const found = (await api('/images?label=Person&mediaType=video')).items.find((item: { mediaType: string }) => item.mediaType === 'video');
  if (!found) throw new Error(`the video did not end SUCCEEDED with a Person label: ${JSON.stringify(await api('/images?status=ALL'))}`);
  imageId = found.imageId;
  personAt = found.matchedLabel.seconds;
  detail = (await api(`/images/${imageId}`)).image;
  const analysis = (detail as unknown as { analysis: { sections: Record<string, { items: Array<{ segments?: Segment[] }> }> } }).analysis;
  segments = Object.values(analysis.sections).flatMap((section) => section.items.flatMap((item) => item.segments ?? []));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('a video in the console, in Chromium', () => {
  it('finds "videos with a person" in the gallery with poster and duration, and opens the player at that second (1280 px)', async () => {
    // Act
    const page = await openPage(1280, '#/gallery?label=Person&mediaType=video');
    const card = page.locator(`.card[data-image-id="${imageId}"]`);
    await card.waitFor();
    const typeFilter = await page.locator('#mediaType').inputValue();
    const badge = await card.locator('[data-testid="duration-badge"]').textContent();
    // The thumbnail frame drops `loading` when the poster has loaded; wait out its fade-in for the screenshot.
    await card.locator('.thumb:not(.loading) img.real').waitFor();
    const posterShown = await card.locator('img.real').evaluate((img: HTMLImageElement) => img.naturalWidth);
    const href = await card.locator('a.card-link').getAttribute('href');
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(ARTIFACTS, 'video-gallery-1280.png') });
    await card.locator('a.card-link').click();
    const duration = await metadataLoaded(page);
    const openedAt = await seekedTo(page, personAt);
    await page.screenshot({ path: path.join(ARTIFACTS, 'video-1280.png'), fullPage: true });
    await page.close();

    // Assess
    expect(typeFilter).toBe('video');
    expect(badge).toBe('0:08');
    expect(posterShown).toBeGreaterThan(0);
    expect(personAt).toBeGreaterThanOrEqual(3);
    expect(href).toBe(`#/images/${imageId}?t=${personAt}`);
    expect(duration).toBeCloseTo(detail.video.durationSeconds, 0);
    expect(openedAt).toBeCloseTo(personAt, 0);
    expect(pageErrors).toEqual([]);
  });

  it('shows the poster, the stream metadata and the thumbnails; clicking a label segment seeks the player (1280 px)', async () => {
    // Prepare
    const page = await openPage(1280, `#/images/${imageId}`);
    await metadataLoaded(page);
    const last = segments.reduce((latest, segment) => (segment.start > latest.start ? segment : latest));
    const first = segments.reduce((earliest, segment) => (segment.start < earliest.start ? segment : earliest));
    // A thumbnail whose second no label segment starts at, to move the player away before each label click.
    const { intervalSeconds, count } = detail.video.sprite;
    const awayIndex = Array.from({ length: count }, (_, index) => index).find(
      (index) => !segments.some((segment) => Math.abs(segment.start - index * intervalSeconds) < 0.5),
    )!;
    const away = awayIndex * intervalSeconds;

    // Act
    const poster = await page.locator('[data-testid="video-player"]').getAttribute('poster');
    const posterWidth = await page.evaluate(async (url) => {
      const image = new Image();
      image.src = url;
      await image.decode();
      return image.naturalWidth;
    }, poster ?? '');
    const facts = {
      duration: await page.locator('[data-testid="video-duration"]').textContent(),
      codec: await page.locator('[data-testid="video-codec"]').textContent(),
    };
    const tiles = await page.locator('[data-testid="sprite-strip"] button').count();
    const rows = await page.locator('[data-testid="timeline-table"] tbody tr').count();
    // Each label click starts from elsewhere: a thumbnail moves the player to its own second first.
    const tile = page.locator('[data-testid="sprite-strip"] button');
    await tile.nth(awayIndex).click();
    const afterTile = await seekedTo(page, away);
    await page.locator(`[data-testid="timeline-table"] button[data-start="${last.start}"]`).first().click();
    const afterTable = await seekedTo(page, last.start);
    await tile.nth(awayIndex).click();
    await seekedTo(page, away);
    await page.locator(`.video-timeline-bars .segment[data-start="${first.start}"]`).first().click();
    const afterBar = await seekedTo(page, first.start);
    await page.close();

    // Assess
    // The same object; the signature may differ (URLs are signed per time window, and a window may end in between).
    expect(withoutQuery(poster ?? '')).toBe(withoutQuery(detail.video.poster.url));
    expect(posterWidth).toBe(detail.video.poster.width);
    expect(facts).toEqual({ duration: '0:08', codec: 'h264' });
    expect(tiles).toBe(detail.video.sprite.count);
    expect(rows).toBe(segments.length);
    expect(afterTile).toBeCloseTo(away, 0);
    expect(afterTable).toBeCloseTo(last.start, 0);
    expect(afterBar).toBeCloseTo(first.start, 0);
    expect(pageErrors).toEqual([]);
  });

  it('plays the HLS ladder through the API: a quality menu of its rungs, a chosen rung plays, a seek loads a later segment (1280 px)', async () => {
    // Prepare
    const page = await openPage(1280, `#/images/${imageId}`);
    const source = page.locator('[data-testid="video-source"]');
    const player = page.locator('[data-testid="video-player"]');
    await metadataLoaded(page);

    // Act
    const kind = await source.getAttribute('data-kind');
    const playsFrom = await player.evaluate((video: HTMLVideoElement) => video.currentSrc);
    await page.locator('[data-testid="video-quality"]:not([hidden])').waitFor();
    const rungs = await page.locator('[data-testid="video-quality"] option').allTextContents();
    await page.locator('[data-testid="video-quality"]').selectOption({ label: '360p' });
    await page.waitForFunction(() => /fixed · 360p/.test(document.querySelector('[data-testid="video-source"]')?.textContent ?? ''));
    const nearEnd = Math.floor(detail.video.durationSeconds) - 1;
    await player.evaluate((video: HTMLVideoElement, at: number) => (video.currentTime = at), nearEnd);
    const seeked = await seekedTo(page, nearEnd);
    // Playing (muted, as browsers allow without a gesture) advances the clock: segments were fetched and decoded.
    await player.evaluate(async (video: HTMLVideoElement) => {
      video.muted = true;
      video.currentTime = 0;
      await video.play();
    });
    await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="video-player"]')?.currentTime ?? 0) > 0.5);
    const caption = await source.textContent();
    await page.screenshot({ path: path.join(ARTIFACTS, 'video-hls-1280.png') });
    await page.close();

    // Assess
    expect(detail.video.hlsPlaylist).toBe(`/images/${imageId}/hls/index.m3u8`);
    expect(kind).toBe('hls');
    expect(playsFrom).toMatch(/^blob:/);
    expect(rungs).toEqual(['Auto', '720p', '540p', '360p']);
    expect(caption).toBe('HLS · fixed · 360p');
    expect(seeked).toBeCloseTo(nearEnd, 0);
    expect(pageErrors).toEqual([]);
  });

  it('recovers from an expired segment URL: the playlists are fetched again and a later segment plays (1280 px)', async () => {
    // Prepare
    const errors: string[] = [];
    const page = await newWatchedPage(browser.context, 1280, errors);
    const ladder = await expireLaterSegments(page, { untilReload: true });
    const player = page.locator('[data-testid="video-player"]');

    // Act
    await openRoute(page, stack.console.url, `#/images/${imageId}`);
    await playing(page);
    ladder.release();
    // Playback goes on past the first segment, into one whose first URL had expired.
    await page.waitForFunction(
      (from) => (document.querySelector<HTMLVideoElement>('[data-testid="video-player"]')?.currentTime ?? 0) > from + 0.5,
      ladder.laterSegmentStart(),
    );
    const kind = await page.locator('[data-testid="video-source"]').getAttribute('data-kind');
    const playsFrom = await player.evaluate((video: HTMLVideoElement) => video.currentSrc);
    await page.close();

    // Assess
    const refused = await ladder.refused();
    const laterPlayed = ladder.answers.filter((answer) => answer.status === 200 && answer.afterReload && answer.index > 0);
    expect(ladder.laterSegmentStart()).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((answer) => !answer.afterReload && /Request has expired/.test(answer.body))).toBe(true);
    expect(ladder.masterFetches()).toBe(2);
    expect(laterPlayed.length).toBeGreaterThan(0);
    expect(kind).toBe('hls');
    expect(playsFrom).toMatch(/^blob:/);
    // The refused loads are the only errors the page saw.
    expect(errors.filter((error) => !/status of 403/.test(error))).toEqual([]);
  });

  it('gives up after 3 reloads when a segment is refused whatever its URL, and plays the MP4 rendition (1280 px)', async () => {
    // Prepare
    const errors: string[] = [];
    const page = await newWatchedPage(browser.context, 1280, errors);
    const ladder = await expireLaterSegments(page, { untilReload: false });
    const source = page.locator('[data-testid="video-source"]');

    // Act
    await openRoute(page, stack.console.url, `#/images/${imageId}`);
    await playing(page);
    ladder.release();
    await page.locator('[data-testid="video-source"][data-kind="mp4"]').waitFor();
    const playsFrom = await page.locator('[data-testid="video-player"]').evaluate((video: HTMLVideoElement) => video.currentSrc);
    const caption = await source.textContent();
    await page.close();

    // Assess
    expect(ladder.masterFetches()).toBe(4);
    expect(ladder.answers.filter((answer) => answer.status === 200 && answer.index > 0)).toEqual([]);
    expect(withoutQuery(playsFrom)).toBe(withoutQuery(detail.video.rendition.url));
    expect(caption).toMatch(/^H\.264 MP4/);
    expect(errors.filter((error) => !/status of 403/.test(error))).toEqual([]);
  });

  it('plays the MP4 rendition in a browser without Media Source Extensions', async () => {
    // Act
    const page = await openPage(1280, `#/images/${imageId}`, { withoutMediaSource: true });
    const duration = await metadataLoaded(page);
    const kind = await page.locator('[data-testid="video-source"]').getAttribute('data-kind');
    const playsFrom = await page.locator('[data-testid="video-player"]').evaluate((video: HTMLVideoElement) => video.currentSrc);
    const menuHidden = await page.locator('[data-testid="video-quality"]').isHidden();
    await page.close();

    // Assess
    expect(kind).toBe('mp4');
    expect(withoutQuery(playsFrom)).toBe(withoutQuery(detail.video.rendition.url));
    expect(menuHidden).toBe(true);
    expect(duration).toBeCloseTo(detail.video.durationSeconds, 0);
    expect(pageErrors).toEqual([]);
  });

  it('fits 375 px: no horizontal scroll, the player and the timeline table as wide as the screen allows', async () => {
    // Act
    const page = await openPage(375, `#/images/${imageId}?t=${personAt}`);
    await metadataLoaded(page);
    const openedAt = await seekedTo(page, personAt);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    const playerWidth = (await page.locator('[data-testid="video-player"]').boundingBox())!.width;
    const table = (await page.locator('[data-testid="timeline-table"]').boundingBox())!;
    await page.screenshot({ path: path.join(ARTIFACTS, 'video-375.png'), fullPage: true });
    await page.close();

    // Assess
    expect(overflow).toBe(0);
    expect(playerWidth).toBeGreaterThan(250);
    expect(playerWidth).toBeLessThanOrEqual(375);
    expect(table.x + table.width).toBeLessThanOrEqual(375);
    expect(openedAt).toBeCloseTo(personAt, 0);
    expect(pageErrors).toEqual([]);
  });
});
