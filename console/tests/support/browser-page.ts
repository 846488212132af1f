import type { BrowserContext, Page } from 'playwright-core';

export interface WatchedPageOptions {
  /** Also count the page's console errors (CSP violations, failed loads), not only uncaught exceptions. Default true. */
  consoleErrors?: boolean;
  height?: number;
}

/** A new tab `width` px wide whose errors are pushed onto `errors`, so a test can assert that none happened. */
export async function newWatchedPage(
  context: BrowserContext,
  width: number,
  errors: string[],
  { consoleErrors = true, height = 900 }: WatchedPageOptions = {},
): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  if (consoleErrors) {
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
  }
  await page.setViewportSize({ width, height });
  return page;
}

/** Goes to one of the console's routes (`#/...`) and waits until the page says who is signed in. */
export async function openRoute(page: Page, consoleUrl: string, hash: string): Promise<void> {
  await page.goto(`${consoleUrl}/${hash}`);
  await page.waitForSelector('[data-testid="signed-in-as"]');
}
