/**
 * The admins' Review page in Chromium, on the real local stack with quarantine catching every image (threshold 0 on
 * every image, local Rekognition's nsfwjs scores), at 1280 and 375 px: the queue shows the labels and the image, a
 * decision needs a reason, approve serves the image, reject leaves a placeholder, and no page ever loads a variant of
 * a held image.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { newWatchedPage, openRoute } from '../support/browser-page';
import { startConsoleUnderTest, type ConsoleUnderTest } from '../support/console-stack';
import { launchChromium } from './chromium';

jest.setTimeout(420_000);

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(ROOT, 'tests/fixtures/images');
const ARTIFACTS = path.join(ROOT, 'test-artifacts/console');
const QUARANTINE_EVERYTHING = JSON.stringify({ detectModeration: 'always', minModerationConfidence: 0, quarantineMinConfidence: 0 });

let stack: ConsoleUnderTest;
let browser: { context: BrowserContext; close(): Promise<void> };
const pageErrors: string[] = [];
/** Every variant URL (…/w<size>.webp|jpg) a page asked for, by image id. */
const variantRequests: string[] = [];
/** The image the second test approves. */
let approvedId = '';

async function newPage(width: number): Promise<Page> {
  const page = await newWatchedPage(browser.context, width, pageErrors, { consoleErrors: false });
  page.on('request', (request) => {
    if (/\/images\/[0-9a-f]{32}\/[0-9a-f]{16}\/w\d+\.(webp|jpg)/.test(request.url())) variantRequests.push(request.url());
  });
  return page;
}

const open = (page: Page, hash: string) => openRoute(page, stack.console.url, hash);

async function upload(page: Page, files: string[]): Promise<void> {
  await open(page, '#/upload');
  await page
    .locator('#file-input')
    .setInputFiles(
      await Promise.all(files.map(async (name) => ({ name, mimeType: 'image/jpeg', buffer: await readFile(path.join(FIXTURES, name)) }))),
    );
  await page.waitForFunction(
    (count) => {
      const rows = Array.from(document.querySelectorAll('.upload-row'));
      return (
        rows.length >= count && rows.every((row) => ['held', 'succeeded', 'failed'].includes((row as HTMLElement).dataset.state ?? ''))
      );
    },
    files.length,
    { timeout: 360_000, polling: 500 },
  );
}

/** Opens a gallery listing until a card matching `selector` shows (the run applies a decision just after it is sent). */
async function galleryUntil(page: Page, hash: string, selector: string): Promise<void> {
  await open(page, hash);
  for (let attempt = 0; attempt < 120; attempt += 1) {
    // Going to the same hash again does not reload the listing; a reload does.
    if (attempt > 0) {
      await page.reload();
      await page.waitForSelector('[data-testid="signed-in-as"]');
    }
    // The listing has answered once its note is neither empty nor "Loading…".
    await page.waitForFunction(() => !['', 'Loading…'].includes(document.querySelector('.filters + p')?.textContent ?? ''), undefined, {
      polling: 100,
    });
    if ((await page.locator(selector).count()) > 0) return;
    await page.waitForTimeout(500);
  }
  const shown = await page.locator('.card').evaluateAll((cards) => cards.map((card) => card.outerHTML.slice(0, 300)));
  const note = await page.locator('.filters + p').textContent();
  throw new Error(`${selector} never showed on ${hash}; the page said "${note}" and showed ${JSON.stringify(shown)}`);
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const cardFor = (page: Page, name: string) => page.locator('.review-card', { hasText: name });

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  stack = await startConsoleUnderTest({ parameterOverrides: { PipelineConfig: QUARANTINE_EVERYTHING } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('Review page in Chromium', () => {
  it('holds the uploads, shows placeholders in the gallery and detail, and never loads a held variant (1280 px)', async () => {
    // Prepare
    const page = await newPage(1280);

    // Act
    await upload(page, ['flowers.jpeg', 'background.jpg', 'group-1.jpg']);
    const uploadStates = await page.locator('.upload-row').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.state));
    await open(page, '#/gallery?status=QUARANTINED');
    await page.waitForSelector('.card .withheld');
    const held = await page.locator('.card .withheld').count();
    const images = await page.locator('.card img').count();
    await page.locator('.card[data-name="flowers.jpeg"] a').click();
    await page.waitForSelector('.withheld-box');
    const detailImages = await page.locator('.stage img, .variants img').count();
    await page.screenshot({ path: path.join(ARTIFACTS, 'review-01-held-detail.png'), fullPage: true });
    await page.close();

    // Assess
    expect(uploadStates).toEqual(['held', 'held', 'held']);
    expect(held).toBe(3);
    expect(images).toBe(0);
    expect(detailImages).toBe(0);
    expect(variantRequests).toEqual([]);
  });

  it('lists the queue with labels and the image, asks for a reason, and approves (1280 px)', async () => {
    // Prepare
    const page = await newPage(1280);
    await open(page, '#/review');
    await page.waitForSelector('.review-card');
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('.review-card img.review-image')).every((image) => (image as HTMLImageElement).naturalWidth > 0),
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'review-02-queue-1280.png'), fullPage: true });
    const cards = await page.locator('.review-card').count();
    const labels = await cardFor(page, 'flowers.jpeg').locator('.review-labels li').count();
    const card = cardFor(page, 'flowers.jpeg');
    approvedId = (await card.getAttribute('data-image-id')) ?? '';

    // Act
    await card.locator('button[data-decision="approve"]').click();
    const withoutReason = await card.locator('[role="status"]').textContent();
    await card.locator('textarea').fill('Only flowers.');
    await card.locator('button[data-decision="approve"]').click();
    await page.waitForFunction(() => !document.querySelector('.review-card img[alt*="flowers.jpeg"]'));
    const note = await page.locator('.review-note').textContent();
    await galleryUntil(page, '#/gallery?status=SUCCEEDED', '.card[data-name="flowers.jpeg"] img.real');
    await page.close();

    // Assess
    expect(cards).toBe(3);
    expect(labels).toBeGreaterThan(0);
    expect(withoutReason).toBe('Give a reason first.');
    expect(note).toContain('flowers.jpeg: approved.');
  });

  it('rejects at 375 px with no horizontal overflow, the rejected image stays a placeholder, and the audit log lists both decisions', async () => {
    // Prepare
    const page = await newPage(375);
    await open(page, '#/review');
    await page.waitForSelector('.review-card');
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('.review-card img.review-image')).every((image) => (image as HTMLImageElement).complete),
    );
    const narrowOverflow = await overflow(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'review-03-queue-375.png'), fullPage: true });
    const card = cardFor(page, 'background.jpg');

    // Act
    await card.locator('textarea').fill('Not for this site.');
    await card.locator('button[data-decision="reject"]').click();
    await page.waitForFunction(() => document.querySelectorAll('.review-card').length === 1);
    // The review page loads held images on purpose; from here on no page may.
    variantRequests.length = 0;
    await galleryUntil(page, '#/gallery?status=REJECTED', '.card[data-name="background.jpg"] .withheld');
    await galleryUntil(page, '#/gallery?status=ALL', '.card[data-name="group-1.jpg"] .withheld');
    const galleryOverflow = await overflow(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'review-04-rejected-375.png'), fullPage: true });
    // The Admin page's audit log lists both decisions, newest first, with who and why.
    await open(page, '#/admin');
    await page.waitForFunction(() => document.querySelectorAll('.audit-log tbody tr').length === 2);
    const audit = await page
      .locator('.audit-log tbody tr')
      .evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll('td')).map((cell) => cell.textContent ?? '')));
    const adminOverflow = await overflow(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'review-05-audit-375.png'), fullPage: true });
    await page.close();

    // Assess
    expect(narrowOverflow).toBe(0);
    expect(galleryOverflow).toBe(0);
    expect(adminOverflow).toBe(0);
    expect(audit.map((cells) => [cells[2], cells[4], cells[5]])).toEqual([
      ['reject', 'Not for this site.', 'QUARANTINED → REJECTED'],
      ['approve', 'Only flowers.', 'QUARANTINED → SUCCEEDED'],
    ]);
    // Who decided: the reviewer's user name, not the timeout default.
    expect(audit.every((cells) => cells[3] !== '' && cells[3] !== '—' && cells[3] !== 'Timeout default')).toBe(true);
    // Only the approved image's variants were loaded by the gallery; the rejected and the still held ones never.
    expect(approvedId).toMatch(/^[0-9a-f]{32}$/);
    expect(variantRequests.filter((url) => !url.includes(`/images/${approvedId}/`))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
