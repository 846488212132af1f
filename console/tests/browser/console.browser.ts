import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { inspect } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { signInThroughHostedUi } from '../../../local/services/cognito-idp/sign-in-client';
import { startConsoleUnderTest, type ConsoleUnderTest } from '../support/console-stack';
import { CHROMIUM_PATH, launchChromium } from './chromium';

jest.setTimeout(420_000);

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(ROOT, 'tests/fixtures/images');
const ARTIFACTS = path.join(ROOT, 'test-artifacts/console');
const HOSTILE_NAME = '<img src=x onerror="window.__xss=1">.jpg';

let stack: ConsoleUnderTest;
let browser: { context: BrowserContext; close(): Promise<void> };
let page: Page;
let adminToken: string;
const pageErrors: string[] = [];

/** Calls the local API as the default user (an admin), as the page does. */
async function apiJson(pathAndQuery: string): Promise<any> {
  const response = await fetch(`${stack.webApp.apiUrl}${pathAndQuery}`, { headers: { authorization: `Bearer ${adminToken}` } });
  return response.json();
}

async function screenshot(name: string, target: Page = page): Promise<void> {
  await target.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Opens a page of the app; the first visit of a tab signs in (the default user, without a prompt) and comes back. */
async function open(hash: string, target: Page = page): Promise<void> {
  await target.goto(`${stack.console.url}/${hash}`);
  await target.waitForSelector('[data-testid="signed-in-as"]');
}

/** Uploads files through the page's picker and waits until every row reaches a final state. */
async function uploadThroughPage(files: Array<string | { name: string; mimeType: string; buffer: Buffer }>): Promise<void> {
  await open('#/upload');
  const payloads = await Promise.all(
    files.map(async (file) =>
      typeof file === 'string' ? { name: file, mimeType: 'image/jpeg', buffer: await readFile(path.join(FIXTURES, file)) } : file,
    ),
  );
  await page.locator('#file-input').setInputFiles(payloads);
  await page.waitForFunction(
    (count) => {
      const rows = Array.from(document.querySelectorAll('.upload-row'));
      return (
        rows.length >= count &&
        rows.every((row) => ['succeeded', 'failed', 'refused', 'error'].includes((row as HTMLElement).dataset.state ?? ''))
      );
    },
    files.length,
    { timeout: 360_000, polling: 500 },
  );
}

async function rowState(name: string): Promise<string | undefined> {
  return (
    (await page
      .locator('.upload-row')
      .filter({ has: page.locator('.upload-name', { hasText: name }) })
      .first()
      .getAttribute('data-state')) ?? undefined
  );
}

/** Runs a start-up step and names it in the error, so a failed start never reaches the report as an empty message. */
async function startStep<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw new Error(`${what} failed: ${inspect(error, { depth: 4 })}`, { cause: error });
  }
}

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  // People grouping on, so the People page has faces to show (the uploads below include a group photo).
  stack = await startStep('starting the local stack and console', () =>
    startConsoleUnderTest({ parameterOverrides: { PipelineConfig: JSON.stringify({ groupFacesIntoPeople: true }) } }),
  );
  adminToken = (
    await signInThroughHostedUi({
      authDomainUrl: stack.webApp.authDomainUrl,
      clientId: stack.webApp.userPoolClientId,
      redirectUri: `${stack.console.url}/`,
    })
  ).access_token;
  browser = await startStep(`launching Chromium (${CHROMIUM_PATH})`, () => launchChromium());
  page = await browser.context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // Console errors include CSP violations and failed loads (a broken image, a refused upload), not just exceptions.
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('console in Chromium', () => {
  it('signs the default user in without a prompt and shows the admin sections', async () => {
    // Act
    await open('#/upload');

    // Assess
    await expect(page.locator('[data-testid="signed-in-as"]').textContent()).resolves.toBe(stack.webApp.defaultUser.email);
    expect(await page.locator('nav a').allTextContents()).toEqual([
      'Upload',
      'Gallery',
      'People',
      'Failures',
      'Analytics',
      'Runs',
      'Review',
      'Admin',
      'Outbox',
      'Events',
    ]);
    expect(new URL(page.url()).search).toBe('');
  });

  it('uploads three images through the page and watches their runs succeed', async () => {
    // Act
    await uploadThroughPage(['ai-body.jpg', 'group-1.jpg', 'background.jpg']);
    await screenshot('01-upload-done');

    // Assess
    expect(await rowState('ai-body.jpg')).toBe('succeeded');
    expect(await rowState('group-1.jpg')).toBe('succeeded');
    expect(await rowState('background.jpg')).toBe('succeeded');
    await open('#/runs');
    await page.waitForSelector('tr[data-status="SUCCEEDED"]');
    expect(await page.locator('tr[data-status="SUCCEEDED"]').count()).toBe(3);
    await screenshot('02-runs');
  });

  it('refuses a non-image before uploading it, with the reason', async () => {
    // Act
    await uploadThroughPage([{ name: 'notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('just text, named like a photo') }]);

    // Assess
    expect(await rowState('notes.jpg')).toBe('refused');
    await expect(page.locator('.upload-row', { hasText: 'notes.jpg' }).locator('.upload-status').textContent()).resolves.toMatch(
      /not a supported image/,
    );
  });

  it('searches the gallery by a label and shows the matching images only', async () => {
    // Act
    await open('#/gallery');
    await page.fill('#label', 'person');
    await page.click('form.filters button[type=submit]');
    await page.waitForFunction(() => location.hash.includes('label=person'));
    await page.waitForFunction(() => document.querySelector('.filters + p')?.textContent?.includes('image'));
    const names = await page.locator('.card').evaluateAll((cards) => cards.map((card) => (card as HTMLElement).dataset.name));
    // Every thumbnail decodes (the proxy's content type is right), and the screenshot shows them, not placeholders.
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('.card img.real')).every((image) => (image as HTMLImageElement).naturalWidth > 0),
    );
    await screenshot('03-gallery-person');

    // Assess
    expect(names.sort()).toEqual(['ai-body.jpg', 'group-1.jpg']);
    // Thumbnails are short-lived presigned GETs of the processed bucket (the edge locally).
    expect(await page.locator('.card img.real').first().getAttribute('src')).toMatch(
      new RegExp(`^${stack.edgeUrl}/.+/w256\\.webp\\?.*X-Amz-Signature=`),
    );
    // Each card carries its thumbhash, decoded in the browser into a PNG data URL.
    const placeholders = await page
      .locator('.card img.placeholder')
      .evaluateAll((images) => images.map((image) => (image as HTMLImageElement).src));
    expect(placeholders).toHaveLength(2);
    expect(placeholders.every((src) => src.startsWith('data:image/png;base64,'))).toBe(true);
  });

  it('opens an image with its face boxes drawn over it', async () => {
    // Act
    await open('#/gallery?label=person');
    await page.locator('.card[data-name="group-1.jpg"] a').click();
    await page.waitForFunction(() => ((document.querySelector('.stage img.real') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0);
    await screenshot('04-image-detail');

    // Assess
    expect(await page.locator('.box-faces').count()).toBeGreaterThan(1);
    expect(await page.locator('.section-labels li[data-label="Person"]').count()).toBe(1);
    expect(await page.locator('.variants tbody tr').count()).toBeGreaterThan(1);
    // The labels toggle counts boxes (the summary keeps a label's most confident few), not labels, and says how many
    // instances were found when that is more; the Person row says how many of its instances are boxed.
    const labelBoxes = await page.locator('.box-labels').count();
    const personBoxes = await page.locator('.box-labels .box-caption', { hasText: /^Person \d/ }).count();
    const personDetails = (await page.locator('.section-labels li[data-label="Person"] span.muted').textContent()) ?? '';
    const personInstances = Number(/instances: (\d+)/.exec(personDetails)?.[1]);
    const labelsToggle = ((await page.locator('label[for="show-labels"]').textContent()) ?? '').trim();
    expect(labelsToggle).toMatch(new RegExp(`^Labels: ${labelBoxes} box(es)?( of \\d+ found)?$`));
    if (personInstances > personBoxes) {
      expect(labelsToggle).toMatch(/ of \d+ found$/);
      expect(personDetails).toContain(`instances: ${personInstances} (the ${personBoxes} most confident boxed)`);
    }
    await page.locator('#show-faces').uncheck();
    expect(await page.locator('.box-faces').first().isVisible()).toBe(false);
  });

  it("lists the faces' people, opens a person's photos, and links an image's faces to their people", async () => {
    // Act
    await open('#/people');
    await page.waitForSelector('.card.person');
    await screenshot('04b-people');
    const people = await page.locator('.card.person').count();
    await page.locator('.card.person a').first().click();
    await page.waitForSelector('.card[data-image-id]');
    await screenshot('04c-person-photos');
    const photos = await page.locator('.card[data-image-id]').count();
    await open('#/gallery?label=person');
    await page.locator('.card[data-name="group-1.jpg"] a').click();
    await page.waitForSelector('.people-links a');
    const links = await page.locator('.people-links a').count();
    await page.locator('.people-links a').first().click();
    await page.waitForSelector('.card[data-name="group-1.jpg"]');

    // Assess: the group photo's faces are several people; each person has at least the photo it came from.
    expect(people).toBeGreaterThan(1);
    expect(photos).toBeGreaterThanOrEqual(1);
    expect(links).toBeGreaterThan(1);
    expect(new URL(page.url()).hash).toMatch(/^#\/people\/[0-9a-f-]{36}$/);
  });

  it('names a person and merges it into another from the person page at 1280 px; the People list shows the result', async () => {
    // Prepare: the group photo gave several people.
    const before = (await apiJson('/people?limit=100')).items as Array<{ personId: string; imageCount: number }>;
    const [source, target] = before;

    // Act
    await open(`#/people/${source.personId}`);
    await page.waitForSelector('form.person-merge[data-ready]');
    await page.fill('#person-name', 'Aunt Test');
    await page.click('form.person-name button');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Photos of Aunt Test');
    await screenshot('04d-person-actions');
    await page.selectOption('#merge-target', target.personId);
    await page.click('form.person-merge button');
    await page.waitForFunction((id) => location.hash === `#/people/${id}`, target.personId);
    await page.waitForSelector('.card[data-image-id]');
    const photos = await page.locator('.card[data-image-id]').count();
    await open('#/people');
    await page.waitForSelector('.card.person');
    const cards = await page.locator('.card.person').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.personId));
    const after = (await apiJson('/people?limit=100')).items as Array<{ personId: string; mergedFrom: string[] }>;

    // Assess
    expect(cards).not.toContain(source.personId);
    expect(cards).toContain(target.personId);
    expect(cards).toHaveLength(before.length - 1);
    expect(after.find((person) => person.personId === target.personId)?.mergedFrom).toEqual([source.personId]);
    expect(photos).toBeGreaterThanOrEqual(1);
  });

  it("pages a person's photos with a More photos button, showing each photo once", async () => {
    // Prepare: 55 more face items of one person on its own photos (as re-grouped faces would be), so its faces fill
    // more than one page of 50; written straight into the table, removed afterwards.
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: stack.edgeUrl, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    );
    const table = stack.stack.resources.tableName;
    const [person] = (await apiJson('/people?limit=1')).items as Array<{ personId: string; cover: { imageId: string } }>;
    const { Items: faces = [] } = await documents.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :face)',
        ExpressionAttributeValues: { ':pk': `IMAGE#${person.cover.imageId}`, ':face': 'FACE#' },
      }),
    );
    const face = faces.find((item) => item.personId === person.personId)!;
    const extra = Array.from({ length: 55 }, (_, i) => {
      const faceId = `eeeeeeee-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
      const indexedAt = new Date(Date.UTC(2020, 0, 1, 0, 0, i)).toISOString();
      return { ...face, SK: `FACE#${faceId}`, faceId, indexedAt, GSI1SK: `${face.personId}#${indexedAt}#${face.imageId}` };
    });
    for (const item of extra) await documents.send(new PutCommand({ TableName: table, Item: item }));
    const expected = new Set(
      ((await apiJson(`/people/${person.personId}/images?limit=100`)).items as Array<{ imageId: string }>).map((item) => item.imageId),
    );

    try {
      // Act
      await open(`#/people/${person.personId}`);
      await page.waitForSelector('.card[data-image-id]');
      const moreShown = await page.locator('button', { hasText: 'More photos' }).isVisible();
      await page.locator('button', { hasText: 'More photos' }).click();
      await page.waitForFunction(() => [...document.querySelectorAll('button')].every((b) => b.textContent !== 'More photos' || b.hidden));
      const shown = await page
        .locator('.card[data-image-id]')
        .evaluateAll((cards) => cards.map((card) => (card as HTMLElement).dataset.imageId));

      // Assess: 55 more faces than photos: the button appears, the next page's faces are on photos already shown.
      expect(moreShown).toBe(true);
      expect(new Set(shown).size).toBe(shown.length);
      expect(new Set(shown)).toEqual(expected);
    } finally {
      for (const item of extra) await documents.send(new DeleteCommand({ TableName: table, Key: { PK: face.PK, SK: item.SK } }));
      documents.destroy();
    }
  });

  it('draws the object box of a detected person', async () => {
    // Act
    await open('#/gallery?label=person');
    await page.locator('.card[data-name="ai-body.jpg"] a').click();
    await page.waitForFunction(() => ((document.querySelector('.stage img.real') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0);
    await screenshot('04b-object-box');

    // Assess
    expect(await page.locator('.box-labels').count()).toBeGreaterThan(0);
    await expect(page.locator('.box-labels .box-caption').first().textContent()).resolves.toMatch(/^Person \d/);
    expect(await page.locator('.box-faces').count()).toBe(1);
  });

  it('shows a failed run with its reason and the state graph', async () => {
    // Prepare
    await uploadThroughPage(['corrupt-header.jpg']);

    const state = await rowState('corrupt-header.jpg');

    // Act
    await page.locator('.upload-row', { hasText: 'corrupt-header.jpg' }).getByRole('link', { name: 'Run' }).click();
    await page.waitForSelector('[data-testid="run-failure"]');
    await screenshot('05-failed-run');

    // Assess
    expect(state).toBe('failed');
    await expect(page.locator('[data-testid="run-failure"] .error-name').textContent()).resolves.toBe('CorruptImageError');
    expect(await page.locator('svg.state-graph g[data-state="ResizeImage"]').getAttribute('data-outcome')).toBe('caught');
    expect(await page.locator('svg.state-graph g[data-state="RecordFailure"]').getAttribute('data-outcome')).toBe('succeeded');
    expect(await page.getByRole('button', { name: 'Re-run from start' }).isEnabled()).toBe(true);
    await open('#/failures');
    await page.waitForSelector('.failure');
    await expect(page.locator('.failure', { hasText: 'corrupt-header.jpg' }).locator('.error-name').textContent()).resolves.toBe(
      'CorruptImageError',
    );
    await screenshot('06-failures');
  });

  it('re-runs a failed run from its page and follows the new run', async () => {
    // Prepare
    const failed = (await apiJson('/failures?limit=1')).items[0];
    await open(`#/runs/${failed.executionName}`);
    await page.waitForSelector('[data-testid="run-failure"]');

    // Act
    await page.getByRole('button', { name: 'Re-run from start' }).click();
    await page.waitForFunction(() => location.hash.includes('-rerun-'));
    await page.waitForSelector('.title-row .badge-failed', { timeout: 180_000 });

    // Assess
    expect(await page.evaluate(() => location.hash)).toContain(`#/runs/${failed.executionName}-rerun-`);
    await expect(page.locator('[data-testid="run-failure"] .error-name').textContent()).resolves.toBe('CorruptImageError');
  });

  it('takes dropped files like picked ones, checking them the same way', async () => {
    // Prepare
    await open('#/upload');
    await page.waitForSelector('.drop-zone');

    // Act
    const transfer = await page.evaluateHandle(() => {
      const data = new DataTransfer();
      data.items.add(new File(['%PDF-1.7 not an image'], 'dropped.pdf', { type: 'application/pdf' }));
      return data;
    });
    await page.dispatchEvent('.drop-zone', 'drop', { dataTransfer: transfer });
    await page.waitForSelector('.upload-row[data-state="refused"]');

    // Assess
    await expect(page.locator('.upload-row', { hasText: 'dropped.pdf' }).locator('.upload-status').textContent()).resolves.toMatch(
      /^Refused: Its content is not a supported image/,
    );
  });

  it('shows a hostile file name as text and runs none of it', async () => {
    // Prepare
    const jpeg = await readFile(path.join(FIXTURES, 'flowers.jpeg'));

    // Act
    await uploadThroughPage([{ name: HOSTILE_NAME, mimeType: 'image/jpeg', buffer: jpeg }]);
    await open('#/gallery');
    await page.waitForSelector('.card');

    // Assess
    expect(await page.locator('.card-name', { hasText: HOSTILE_NAME }).count()).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('.card-name img').count()).toBe(0);
  });

  it('shows a text message in the outbox as text', async () => {
    // Prepare: the notifier texts through SNS; here the same Publish goes through the edge.
    const sns = new SNSClient({
      endpoint: stack.edgeUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await sns.send(new PublishCommand({ PhoneNumber: '+15555550100', Message: HOSTILE_NAME }));

    // Act
    await open('#/outbox');
    await page.waitForSelector('.outbox-item[data-channel="SMS"]');
    await screenshot('07-outbox');

    // Assess
    const sms = page.locator('.outbox-item[data-channel="SMS"]').first();
    await expect(sms.locator('.facts dd').first().textContent()).resolves.toBe('+15555550100');
    await expect(sms.locator('pre.message').textContent()).resolves.toBe(HOSTILE_NAME);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('lists the events the runs published, with their owner, the rules that took them and a link to the image', async () => {
    // Prepare: by now the runs above have published Image Processed (the photos, the hostile name) and Image Failed
    // (the corrupt header and its re-run), all owned by the default user.
    const me = await apiJson('/me');

    // Act
    await open('#/events');
    await page.waitForSelector('.outbox-item[data-detail-type="Image Failed"]');
    await screenshot('07b-events');
    const entries = await page.locator('.outbox-item').evaluateAll((items) =>
      items.map((item) => ({
        type: (item as HTMLElement).dataset.detailType,
        owner: item.querySelector('header strong')?.textContent,
        rules: item.querySelectorAll('.facts dd')[1]?.textContent ?? '',
      })),
    );
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    const namesAFile = await page.evaluate(() => (document.querySelector('main')?.textContent ?? '').includes('onerror'));
    await page.locator('.outbox-item[data-detail-type="Image Processed"]').first().getByRole('link', { name: 'Image' }).click();
    await page.waitForFunction(() => ((document.querySelector('.stage img.real') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0);

    // Assess
    const processed = entries.filter((entry) => entry.type === 'Image Processed');
    expect(processed.length).toBeGreaterThanOrEqual(4);
    expect(entries.filter((entry) => entry.type === 'Image Failed').length).toBeGreaterThanOrEqual(1);
    expect(new Set(entries.map((entry) => entry.owner))).toEqual(new Set([me.sub]));
    for (const entry of processed) expect(entry.rules).toMatch(/NotifyOwnerRule -> \S+: delivered/);
    // Events name ids, never an object key or file name, so the hostile name cannot reach this page.
    expect(namesAFile).toBe(false);
    expect(overflow).toBe(0);
    expect(page.url()).toMatch(/#\/images\/[0-9a-f-]+$/);
  });

  it('lets the user choose channels and events on the Notifications page, and keeps the choice', async () => {
    // Prepare
    await open('#/upload');
    await page.locator('.account a', { hasText: 'Notifications' }).click();
    await page.waitForSelector('form.preferences');
    const defaultNote = await page.locator('[data-testid="preferences-status"]').textContent();

    // Act
    await page.getByLabel('E-mail, to the verified address').uncheck();
    await page.getByLabel('Text message (SMS)').check();
    await page.getByLabel('An image of mine was processed').uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="preferences-status"]')?.textContent === 'Saved.');
    const stored = await apiJson('/me/preferences');
    await page.reload();
    await page.waitForSelector('form.preferences[data-source="stored"]');
    await screenshot('07c-notifications');
    const ticked = await page
      .locator('form.preferences input:checked')
      .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));

    // Assess
    expect(defaultNote).toMatch(/not chosen yet/);
    expect(stored).toEqual({ source: 'stored', preferences: { channels: ['sms'], events: ['Image Failed'] } });
    expect(ticked).toEqual(['sms', 'Image Failed']);
    expect(await page.locator('.account a[aria-current="page"]').textContent()).toBe('Notifications');
  });

  it('reaches the sections with the keyboard and moves focus into the new page', async () => {
    // Prepare
    await page.goto('about:blank');
    await open('#/upload');
    await page.waitForSelector('.drop-zone');
    const focusedText = () => page.evaluate(() => document.activeElement?.textContent ?? '');

    // Act
    await page.keyboard.press('Tab');
    const first = await focusedText();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const third = await focusedText();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash === '#/gallery');
    // The router moves focus once the new page has rendered, which can lag the hash change on a loaded machine.
    await page.waitForFunction(() => document.activeElement?.id === 'main').catch(() => undefined);
    const afterNavigation = await page.evaluate(() => document.activeElement?.id);

    // Assess
    expect(first).toBe('Skip to content');
    expect(third).toBe('Upload');
    expect(afterNavigation).toBe('main');
  });

  it('has no horizontal overflow at 375 px on any page, tables included', async () => {
    // Prepare
    const narrow = await browser.context.newPage();
    await narrow.setViewportSize({ width: 375, height: 800 });
    const image = (await apiJson('/images?label=person&limit=1')).items[0];
    const failed = (await apiJson('/failures?limit=1')).items[0];
    const person = (await apiJson('/people?limit=1')).items[0];
    const overflows: Record<string, number> = {};
    const tableOverflows: Record<string, number> = {};

    // Act
    for (const [name, hash, ready] of [
      ['upload', '#/upload', '.drop-zone'],
      ['runs', '#/runs', 'tr[data-status]'],
      ['gallery', '#/gallery', '.card'],
      ['people', '#/people', '.card.person'],
      ['person', `#/people/${person.personId}`, 'form.person-merge[data-ready]'],
      ['image', `#/images/${image.imageId}`, '.stage img.real'],
      ['run', `#/runs/${failed.executionName}`, 'svg.state-graph'],
      ['failures', '#/failures', '.failure'],
      ['outbox', '#/outbox', '.outbox-item'],
      ['events', '#/events', '.outbox-item[data-detail-type]'],
      ['notifications', '#/notifications', 'form.preferences'],
    ] as const) {
      await open(hash, narrow);
      await narrow.waitForSelector(ready);
      // The screenshot shows the thumbnails themselves, not their placeholders (a broken image counts as complete).
      await narrow.waitForFunction(() =>
        Array.from(document.querySelectorAll('img.real')).every((image) => (image as HTMLImageElement).complete),
      );
      overflows[name] = await narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      // A table may scroll inside its frame, which hides clipped columns from the page-level check above.
      tableOverflows[name] = await narrow.evaluate(() =>
        Math.max(0, ...Array.from(document.querySelectorAll('.table-scroll')).map((frame) => frame.scrollWidth - frame.clientWidth)),
      );
      await screenshot(`375-${name}`, narrow);
    }
    await narrow.close();

    // Assess
    const expected = {
      upload: 0,
      runs: 0,
      gallery: 0,
      people: 0,
      person: 0,
      image: 0,
      run: 0,
      failures: 0,
      outbox: 0,
      events: 0,
      notifications: 0,
    };
    expect(overflows).toEqual(expected);
    expect(tableOverflows).toEqual(expected);
  });

  it('signs in, uploads, watches the run and finds the image by its label at 375 px', async () => {
    // Prepare
    const narrow = await browser.context.newPage();
    await narrow.setViewportSize({ width: 375, height: 800 });
    narrow.on('pageerror', (error) => pageErrors.push(error.message));
    await open('#/upload', narrow);

    // Act
    await narrow
      .locator('#file-input')
      .setInputFiles([{ name: 'phone-upload.jpg', mimeType: 'image/jpeg', buffer: await readFile(path.join(FIXTURES, 'ai-body.jpg')) }]);
    await narrow.waitForSelector('.upload-row[data-state="succeeded"]', { timeout: 360_000 });
    await screenshot('375-upload-done', narrow);
    await open('#/gallery', narrow);
    await narrow.fill('#label', 'person');
    await narrow.click('form.filters button[type=submit]');
    await narrow.waitForSelector('.card[data-name="phone-upload.jpg"]');
    await narrow.waitForFunction(() =>
      Array.from(document.querySelectorAll('.card img.real')).every((image) => (image as HTMLImageElement).naturalWidth > 0),
    );
    await screenshot('375-gallery-person', narrow);
    const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await narrow.close();

    // Assess
    expect(overflow).toBe(0);
  });

  it("lets a second user sign in through the form and shows none of the first user's images", async () => {
    // Prepare
    const cognito = new CognitoIdentityProviderClient({
      endpoint: stack.edgeUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await cognito.send(
      new AdminCreateUserCommand({ UserPoolId: stack.webApp.userPoolId, Username: 'second@example.com', MessageAction: 'SUPPRESS' }),
    );
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: stack.webApp.userPoolId,
        Username: 'second@example.com',
        Password: 'Second-user-pass-1',
        Permanent: true,
      }),
    );
    await open('#/gallery');

    // Act
    await page.getByRole('button', { name: 'Sign out' }).click();
    // Sign-out passes through the console on its way back to the hosted sign-in; waiting for the console's URL raced
    // that redirect, so the test waits for the sign-in form itself.
    await page.waitForSelector('input[name="username"]');
    await screenshot('08-sign-in-form');
    await page.fill('input[name="username"]', 'second@example.com');
    await page.fill('input[name="password"]', 'Second-user-pass-1');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid="signed-in-as"]');
    await page.goto(`${stack.console.url}/#/gallery?status=ALL`);
    await page.waitForFunction(() => document.querySelector('.filters + p')?.textContent?.includes('No images'));
    await screenshot('09-second-user-gallery');

    // Assess
    await expect(page.locator('[data-testid="signed-in-as"]').textContent()).resolves.toBe('second@example.com');
    expect(await page.locator('.card').count()).toBe(0);
    expect(await page.locator('nav a').allTextContents()).toEqual([
      'Upload',
      'Gallery',
      'People',
      'Failures',
      'Analytics',
      'Outbox',
      'Events',
    ]);
    await page.locator('nav a', { hasText: 'People' }).click();
    await page.waitForFunction(() => document.querySelector('main [role="status"]')?.textContent?.includes('People appear here'));
    expect(await page.locator('.card.person').count()).toBe(0);
    // The outbox and the event log hold the first user's e-mails, text and events: the second user sees none of them.
    await page.goto(`${stack.console.url}/#/outbox`);
    await page.waitForFunction(() => document.querySelector('main [role="status"]')?.textContent === 'Nothing sent yet.');
    expect(await page.locator('.outbox-item').count()).toBe(0);
    await page.goto(`${stack.console.url}/#/events`);
    await page.waitForFunction(() => document.querySelector('main [role="status"]')?.textContent === 'Nothing published yet.');
    expect(await page.locator('.outbox-item').count()).toBe(0);
  });

  it('raised no script errors, CSP violations or failed loads on any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
