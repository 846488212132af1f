import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { ANALYTICS_CHARTS, type AnalyticsSummary } from '@smart-image-pipeline/contracts';
import { signInThroughHostedUi } from '../../../local/services/cognito-idp/sign-in-client';
import { generateFacts, writeFacts } from '../../../local/analytics/generate-facts';
import { daysOf } from '../../../local/analytics/report';
import { newWatchedPage } from '../support/browser-page';
import { startConsoleUnderTest, type ConsoleUnderTest } from '../support/console-stack';
import { launchChromium } from './chromium';

jest.setTimeout(300_000);

const ARTIFACTS = path.join(path.resolve(__dirname, '../../..'), 'test-artifacts/console');
/** The page draws every chart query but the input volume by format, in their order, then its spend estimate. */
const CHARTS = [...ANALYTICS_CHARTS.filter((chart) => chart !== 'input-volume-by-format'), 'spend'];
const STEP_NAMES = ['Resolve version', 'Resize', 'Analyse', 'Video transcode', 'Video analysis', 'Store', 'Whole run'];

let stack: ConsoleUnderTest;
let browser: { context: BrowserContext; close(): Promise<void> };
let summary: AnalyticsSummary;
let summaryOfV2: AnalyticsSummary;
const windowDays = daysOf(7);
const emptyDay = windowDays[4];
const pageErrors: string[] = [];

const rowsOf = (page: Page, chart: string) =>
  page
    .locator(`figure[data-chart="${chart}"] tbody tr`)
    .evaluateAll((rows) => rows.map((row) => Array.from(row.children).map((cell) => cell.textContent)));
const stepRows = (of: AnalyticsSummary) =>
  of.stepLatency.steps.map((step, index) => [
    STEP_NAMES[index],
    String(step.timed),
    step.p50 === null ? '—' : step.p50.toLocaleString('en-US'),
    step.p95 === null ? '—' : step.p95.toLocaleString('en-US'),
  ]);

async function openAnalytics(width: number): Promise<Page> {
  const page = await newWatchedPage(browser.context, width, pageErrors);
  await page.goto(`${stack.console.url}/#/analytics?days=7`);
  await page.waitForSelector('.page[data-loaded="true"]');
  return page;
}

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  stack = await startConsoleUnderTest({ withVision: false });
  // Facts where the stack's delivery stream writes them, one day of the window without any.
  writeFacts(
    stack.stack.dataDir,
    generateFacts(
      700,
      windowDays.filter((day) => day !== emptyDay),
      21,
    ),
    `${stack.stack.app.pseudo.stackName}-AnalyticsDeliveryStream`,
  );
  const token = (
    await signInThroughHostedUi({
      authDomainUrl: stack.webApp.authDomainUrl,
      clientId: stack.webApp.userPoolClientId,
      redirectUri: `${stack.console.url}/`,
    })
  ).access_token;
  const ask = async (query: string) =>
    (await fetch(`${stack.webApp.apiUrl}/analytics?${query}`, { headers: { authorization: `Bearer ${token}` } })).json();
  summary = await ask('days=7');
  summaryOfV2 = await ask('days=7&version=v2');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('Analytics page in Chromium', () => {
  it('draws every chart at 1280 px, with its numbers in a table that matches the API, a missing day as zero', async () => {
    // Act
    const page = await openAnalytics(1280);
    const charts = await page.locator('figure.chart').evaluateAll((figures) =>
      figures.map((figure) => {
        const canvas = figure.querySelector('canvas');
        return {
          id: (figure as HTMLElement).dataset.chart,
          width: canvas?.getBoundingClientRect().width ?? 0,
          height: canvas?.getBoundingClientRect().height ?? 0,
          hiddenFromReaders: canvas?.getAttribute('aria-hidden'),
          caption: figure.querySelector('table caption')?.textContent,
        };
      }),
    );
    const perDayRows = await rowsOf(page, 'images-per-day');
    const latencyRows = await rowsOf(page, 'step-latency');
    await page.locator('figure[data-chart="images-per-day"] button').click();
    const shownTable = await page.locator('#numbers-images-per-day').boundingBox();
    await page.screenshot({ path: path.join(ARTIFACTS, 'analytics-1280.png'), fullPage: true });
    await page.close();

    // Assess
    expect(charts.map((chart) => chart.id)).toEqual(CHARTS);
    for (const chart of charts) {
      expect(chart.width).toBeGreaterThan(300);
      expect(chart.height).toBeGreaterThan(150);
      expect(chart.hiddenFromReaders).toBe('true');
      expect(chart.caption).toMatch(/the numbers$/);
    }
    expect(perDayRows).toEqual(
      summary.imagesPerDay.map((day) => [day.day, String(day.processed), String(day.failed), String(day.flagged)]),
    );
    expect(perDayRows.find((row) => row[0] === emptyDay)).toEqual([emptyDay, '0', '0', '0']);
    expect(latencyRows).toEqual(stepRows(summary));
    // The generated facts hold videos: their transcode and analysis are timed rows, not dashes.
    for (const step of ['Video transcode', 'Video analysis'])
      expect(Number(latencyRows.find((row) => row[0] === step)![1])).toBeGreaterThan(0);
    expect(shownTable!.width).toBeGreaterThan(200);
    expect(pageErrors).toEqual([]);
  });

  it("narrows every chart to one pipeline version chosen from the versions the window's facts name", async () => {
    // Prepare
    const page = await openAnalytics(1280);
    const offered = await page
      .locator('#analytics-version option')
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));

    // Act
    await page.locator('#analytics-version').selectOption('v2');
    await page.waitForFunction(() => location.hash.includes('version=v2'));
    await page.waitForSelector('.page[data-loaded="true"] figure[data-chart="step-latency"]');
    await page.waitForFunction(
      (expected) => document.querySelector('figure[data-chart="images-per-day"] tbody tr td')?.textContent === expected,
      String(summaryOfV2.imagesPerDay[0].processed),
    );
    const perDayRows = await rowsOf(page, 'images-per-day');
    const latencyRows = await rowsOf(page, 'step-latency');
    const chosen = await page.locator('#analytics-version').inputValue();
    await page.close();

    // Assess
    expect(offered).toEqual(['', ...summary.versions]);
    expect(chosen).toBe('v2');
    expect(perDayRows).toEqual(
      summaryOfV2.imagesPerDay.map((day) => [day.day, String(day.processed), String(day.failed), String(day.flagged)]),
    );
    expect(latencyRows).toEqual(stepRows(summaryOfV2));
    expect(summaryOfV2.imagesPerDay).not.toEqual(summary.imagesPerDay);
    expect(pageErrors).toEqual([]);
  });

  it('stays readable at 375 px: no page overflow, each chart as wide as the screen allows', async () => {
    // Act
    const page = await openAnalytics(375);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    const widths = await page
      .locator('figure.chart canvas')
      .evaluateAll((canvases) => canvases.map((canvas) => canvas.getBoundingClientRect().width));
    const tiles = await page.locator('[data-testid="analytics-totals"] dd').allTextContents();
    await page.screenshot({ path: path.join(ARTIFACTS, 'analytics-375.png'), fullPage: true });
    await page.close();

    // Assess
    expect(overflow).toBe(0);
    expect(widths).toHaveLength(CHARTS.length);
    for (const width of widths) {
      expect(width).toBeGreaterThan(250);
      expect(width).toBeLessThanOrEqual(375);
    }
    expect(tiles[0]).toBe(summary.imagesPerDay.reduce((sum, day) => sum + day.processed + day.failed, 0).toLocaleString('en-US'));
    expect(pageErrors).toEqual([]);
  });
});
