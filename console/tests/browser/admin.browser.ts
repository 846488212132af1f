/**
 * The admins' Admin page in Chromium, on the real local stack with two pipeline versions (v1 current, v2 with other
 * label thresholds): two uploads are processed by v1, then the page starts a reprocess of "all" to v2, follows it to
 * SUCCEEDED and shows the results manifest's counts (1280 px); at 375 px a second run of the same selection does no
 * work, a bad selection is refused with the API's reason, and nothing overflows.
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
const TWO_VERSIONS = JSON.stringify({ current: 'v1', versions: { v1: {}, v2: { minLabelConfidence: 60 } } });

let stack: ConsoleUnderTest;
let browser: { context: BrowserContext; close(): Promise<void> };
const pageErrors: string[] = [];

const newPage = (width: number) => newWatchedPage(browser.context, width, pageErrors, { consoleErrors: false });

const open = (page: Page, hash: string) => openRoute(page, stack.console.url, hash);

/** Starts a run from the form and waits until the page shows it ended; returns the facts it shows. */
async function reprocess(page: Page, where: string, value = ''): Promise<Record<string, string>> {
  await page.waitForSelector('#reprocess-version option[value="v2"]', { state: 'attached' });
  await page.selectOption('#reprocess-version', 'v2');
  await page.selectOption('#reprocess-where', where);
  if (value) await page.fill('#reprocess-value', value);
  await page.fill('#reprocess-concurrency', '2');
  await page.click('.reprocess-form button[type="submit"]');
  await page.waitForSelector('.reprocess-facts:not([data-status="RUNNING"])', { timeout: 300_000 });
  return Object.fromEntries(
    await page
      .locator('.reprocess-facts dd')
      .evaluateAll((cells) => cells.map((cell) => [(cell as HTMLElement).dataset.fact ?? '', cell.textContent ?? ''])),
  );
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  stack = await startConsoleUnderTest({ parameterOverrides: { PipelineConfig: TWO_VERSIONS } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('Admin page in Chromium', () => {
  it('starts a reprocess of the seeded images to v2 and shows it finish with its counts (1280 px)', async () => {
    // Prepare: two images processed by v1 through the upload page.
    const page = await newPage(1280);
    await open(page, '#/upload');
    const files = ['flowers.jpeg', 'background.jpg'];
    await page
      .locator('#file-input')
      .setInputFiles(
        await Promise.all(files.map(async (name) => ({ name, mimeType: 'image/jpeg', buffer: await readFile(path.join(FIXTURES, name)) }))),
      );
    await page.waitForFunction(
      () => {
        const rows = Array.from(document.querySelectorAll('.upload-row'));
        return rows.length === 2 && rows.every((row) => (row as HTMLElement).dataset.state === 'succeeded');
      },
      undefined,
      { timeout: 300_000, polling: 500 },
    );
    await open(page, '#/admin');
    await page.waitForSelector('#reprocess-version option[value="v2"]', { state: 'attached' });
    const versions = await page.locator('#reprocess-version option').evaluateAll((options) => options.map((o) => o.textContent));

    // Act
    const facts = await reprocess(page, 'all');
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-01-reprocessed-1280.png'), fullPage: true });
    const listed = await page.locator('.reprocess-runs tbody tr').count();
    await page.close();

    // Assess
    expect(versions).toEqual(['v1 (current)', 'v2']);
    expect(facts).toMatchObject({ Status: 'SUCCEEDED', Version: 'v2', Selection: 'all', Selected: '2', Reprocessed: '2', Failed: '0' });
    expect(facts['Results manifest']).toMatch(/^s3:\/\/.+\/reprocess\/results\/.+manifest\.json$/);
    expect(listed).toBe(1);
  });

  it('does no work on a second run, refuses a bad selection with the reason, and fits 375 px', async () => {
    // Prepare
    const page = await newPage(375);
    await open(page, '#/admin');

    // Act
    const again = await reprocess(page, 'all');
    await page.selectOption('#reprocess-where', 'older-than');
    await page.fill('#reprocess-value', 'version-two');
    await page.click('.reprocess-form button[type="submit"]');
    await page.waitForFunction(() => document.querySelector('.admin-section [role="status"]')?.textContent?.startsWith('Refused'));
    const refusal = await page.locator('.admin-section [role="status"]').first().textContent();
    const narrowOverflow = await overflow(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-02-second-run-375.png'), fullPage: true });
    const listed = await page.locator('.reprocess-runs tbody tr').count();
    await page.close();

    // Assess
    expect(again).toMatchObject({ Status: 'SUCCEEDED', Selected: '0', 'Already at the version': '2', Reprocessed: '0' });
    expect(refusal).toContain('older-than=v<N>');
    expect(listed).toBe(2);
    expect(narrowOverflow).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
