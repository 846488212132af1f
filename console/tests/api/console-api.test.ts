import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startConsoleUnderTest, type ConsoleUnderTest } from '../support/console-stack';
import { waitFor } from '../support/wait-for';

// Generous: the stack, the vision models and six runs share 2 cores with other suites.
jest.setTimeout(420_000);

const FIXTURES = path.join(__dirname, '../../../tests/fixtures/images');
const HOSTILE_NAME = '<img src=x onerror=alert(1)> "quoted" & <b>bold.jpg';

let stack: ConsoleUnderTest;
const uploaded: Record<string, { imageId: string; key: string }> = {};

async function api(pathAndQuery: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(`${stack.console.url}${pathAndQuery}`, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

async function upload(fixture: string, fileName: string, contentType = 'image/jpeg'): Promise<{ imageId: string; key: string }> {
  const bytes = await readFile(path.join(FIXTURES, fixture));
  const presigned = await api('/api/uploads', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fileName, contentType, size: bytes.length, notifyEmail: 'owner@example.com' }) });
  expect(presigned.status).toBe(201);
  const put = await fetch(presigned.body.url, { method: 'PUT', headers: presigned.body.headers, body: bytes });
  expect(put.status).toBe(200);
  return { imageId: presigned.body.imageId, key: presigned.body.key };
}

async function listAll(query: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page += 1) {
    const separator = query ? '&' : '';
    const answer = await api(`/api/images?${query}${cursor ? `${separator}cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(answer.status).toBe(200);
    items.push(...answer.body.items);
    cursor = answer.body.nextCursor;
    if (!cursor) break;
  }
  return items;
}

async function listAllOutbox(): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null | undefined;
  for (let page = 0; page < 50; page += 1) {
    const answer = await api(`/api/outbox?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(answer.status).toBe(200);
    items.push(...answer.body.items);
    cursor = answer.body.nextCursor;
    if (!cursor) break;
  }
  return items;
}

beforeAll(async () => {
  stack = await startConsoleUnderTest();
  uploaded.face = await upload('ai-face.jpg', HOSTILE_NAME);
  uploaded.group = await upload('group-1.jpg', 'group of people.jpg');
  uploaded.landscape = await upload('background.jpg', 'landscape.jpg');
  uploaded.flowers = await upload('flowers.jpeg', 'flowers.jpeg');
  uploaded.flowersAgain = await upload('flowers.jpeg', 'flowers copy.jpeg');
  uploaded.corrupt = await upload('corrupt-header.jpg', 'corrupt-header.jpg');
  await stack.waitForIdle();
  // Idle should mean done; the API's own view decides, so a late event start shows up as a named wait, not a wrong listing.
  for (const [name, { imageId }] of Object.entries(uploaded)) {
    await waitFor(async () => ((await api(`/api/images/${imageId}/status`)).body.status === 'PENDING' ? undefined : true), { what: `the ${name} upload's run to end` });
  }
});

afterAll(async () => {
  await stack?.stop();
});

describe('presigned uploads', () => {
  it('start one run per upload, and each image ends in a final status', async () => {
    // Act
    const runs = await api('/api/executions?limit=100');
    const face = await api(`/api/images/${uploaded.face.imageId}`);
    const corrupt = await api(`/api/images/${uploaded.corrupt.imageId}`);

    // Assess
    expect(runs.status).toBe(200);
    expect(runs.body.items.map((run: any) => run.imageId)).toEqual(expect.arrayContaining(Object.values(uploaded).map((entry) => entry.imageId)));
    expect(face.body.image.status).toBe('SUCCEEDED');
    expect(corrupt.body.image.status).toBe('FAILED');
  });

  it('answers with a PUT URL on the edge that signs the content type', async () => {
    // Act
    const answer = await api('/api/uploads', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fileName: 'x.png', contentType: 'image/png', size: 10 }) });

    // Assess
    expect(answer.status).toBe(201);
    expect(new URL(answer.body.url).origin).toBe(new URL(stack.edgeUrl).origin);
    expect(answer.body.url).toContain('X-Amz-Signature=');
    expect(answer.body.headers).toEqual({ 'content-type': 'image/png' });
    expect(answer.body.key).toMatch(/^uploads\/\d{4}-\d{2}-\d{2}\/[0-9a-f]{12}\/x\.png$/);
  });

  it.each([
    ['an SVG content type', { fileName: 'a.svg', contentType: 'image/svg+xml', size: 10 }],
    ['a size over 100 MiB', { fileName: 'a.jpg', contentType: 'image/jpeg', size: 104857601 }],
    ['a bucket of its own choosing', { fileName: 'a.jpg', contentType: 'image/jpeg', size: 10, bucket: 'other' }],
  ])('refuses %s with 400', async (_case, body) => {
    // Act
    const answer = await api('/api/uploads', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('BadRequest');
  });

  it('refuses a body that is not application/json with 415', async () => {
    // Act
    const answer = await api('/api/uploads', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });

    // Assess
    expect(answer.status).toBe(415);
  });
});

describe('image listing', () => {
  it('pages through every succeeded image exactly once, newest first', async () => {
    // Act
    const items = await listAll('limit=2');

    // Assess
    const ids = items.map((item) => item.imageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual([uploaded.face, uploaded.group, uploaded.landscape, uploaded.flowers, uploaded.flowersAgain].map((entry) => entry.imageId).sort());
    const times = items.map((item) => item.updatedAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('lists failed images with their error', async () => {
    // Act
    const items = await listAll('status=FAILED');

    // Assess
    expect(items.map((item) => item.imageId)).toEqual([uploaded.corrupt.imageId]);
    expect(items[0].error.name).toBe('CorruptImageError');
  });

  it('returns only thumbnails and placeholders in the grid shape', async () => {
    // Act
    const [item] = await listAll('limit=1');

    // Assess
    expect(item.thumbnail.url).toMatch(/^\/api\/images\/[0-9a-f]{32}\/variants\/w256\.webp\?revision=[0-9a-f]{16}$/);
    expect(item.placeholder.kind).toBe('thumbhash');
    expect(item).not.toHaveProperty('variants');
    expect(item).not.toHaveProperty('faces');
  });

  it('filters by faces, text, moderation and label the same way the stored items say', async () => {
    // Prepare
    const all = await Promise.all((await listAll('')).map(async (item) => (await api(`/api/images/${item.imageId}`)).body.image));
    const withFaces = all.filter((image) => (image.faceCount ?? 0) > 0).map((image) => image.imageId).sort();
    const labelsOf = (image: any): any[] => image.analysis?.sections?.labels?.items ?? [];
    const label = all.flatMap(labelsOf)[0]?.name as string;
    const withLabel = all.filter((image) => labelsOf(image).some((entry) => [entry.name, ...(entry.attributes?.parents ?? [])].some((name: string) => name.toLowerCase() === label.toLowerCase()))).map((image) => image.imageId).sort();

    // Act
    const faces = (await listAll('hasFaces=true')).map((item) => item.imageId).sort();
    const noFaces = (await listAll('hasFaces=false')).map((item) => item.imageId);
    const byLabel = (await listAll(`label=${encodeURIComponent(label.toUpperCase())}`)).map((item) => item.imageId).sort();
    const unflagged = await listAll('moderated=false');
    const noText = await listAll('text=zzzz-no-such-text');

    // Assess
    expect(withFaces.length).toBeGreaterThan(0);
    expect(faces).toEqual(withFaces);
    expect(noFaces.some((id) => withFaces.includes(id))).toBe(false);
    expect(byLabel).toEqual(withLabel);
    expect(unflagged.length).toBe(all.filter((image) => !image.moderated).length);
    expect(noText).toEqual([]);
  });

  it('sorts by confidence within a label, most confident first, honouring the minimum', async () => {
    // Prepare
    const label = 'person';

    // Act
    const sorted = await listAll(`label=${label}&sort=confidence&limit=1`);
    const confident = await listAll(`label=${label}&sort=confidence&minConfidence=99.99`);

    // Assess
    const confidences = sorted.map((item) => item.matchedLabel.confidence);
    expect(confidences.length).toBeGreaterThan(0);
    expect([...confidences].sort((a, b) => b - a)).toEqual(confidences);
    expect(confident.every((item) => item.matchedLabel.confidence >= 99.99)).toBe(true);
  });

  it.each([
    ['limit=0'],
    ['limit=abc'],
    ['sort=random'],
    ['hasFaces=maybe'],
    ['cursor=%21%21'],
    ['labell=dog'],
    ['minConfidence=80'],
  ])('refuses %s with a 400 JSON error', async (query) => {
    // Act
    const answer = await api(`/api/images?${query}`);

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(typeof answer.body.error.message).toBe('string');
  });

  it('refuses a cursor made for other filters', async () => {
    // Prepare
    const first = await api('/api/images?limit=1');

    // Act
    const answer = await api(`/api/images?limit=1&status=ALL&cursor=${encodeURIComponent(first.body.nextCursor)}`);

    // Assess
    expect(answer.status).toBe(400);
  });
});

describe('image detail', () => {
  it('returns a hostile file name as a plain JSON string', async () => {
    // Act
    const answer = await api(`/api/images/${uploaded.face.imageId}`);

    // Assess
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.body.image.name).toBe(HOSTILE_NAME);
  });

  it('reports an image status, PENDING while nothing is stored yet', async () => {
    // Act
    const done = await api(`/api/images/${uploaded.corrupt.imageId}/status`);
    const pending = await api(`/api/images/${'0'.repeat(32)}/status`);

    // Assess
    expect(done.body).toEqual(expect.objectContaining({ status: 'FAILED', error: expect.objectContaining({ name: 'CorruptImageError' }) }));
    expect(done.body.executionName).toMatch(/^img-/);
    expect(pending.status).toBe(200);
    expect(pending.body.status).toBe('PENDING');
  });

  it('serves variants through the API with their real content type and nosniff', async () => {
    // Prepare
    const { image } = (await api(`/api/images/${uploaded.flowers.imageId}`)).body;
    const webp = image.variants.find((variant: any) => variant.format === 'webp');
    const jpeg = image.variants.find((variant: any) => variant.format === 'jpeg');

    // Act
    const webpAnswer = await fetch(`${stack.console.url}${webp.url}`);
    const jpegAnswer = await fetch(`${stack.console.url}${jpeg.url}`);
    const webpBytes = Buffer.from(await webpAnswer.arrayBuffer());
    const jpegBytes = Buffer.from(await jpegAnswer.arrayBuffer());

    // Assess
    expect(webpAnswer.headers.get('content-type')).toBe('image/webp');
    expect(webpAnswer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(webpBytes.subarray(8, 12).toString('latin1')).toBe('WEBP');
    expect(webpBytes.length).toBe(webp.bytes);
    expect(jpegAnswer.headers.get('content-type')).toBe('image/jpeg');
    expect(jpegAnswer.headers.get('x-content-type-options')).toBe('nosniff');
    expect([...jpegBytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  });

  it('answers 304 to a conditional request for a variant the browser already has', async () => {
    // Prepare
    const { image } = (await api(`/api/images/${uploaded.flowers.imageId}`)).body;
    const first = await fetch(`${stack.console.url}${image.variants[0].url}`);
    await first.arrayBuffer();

    // Act
    const again = await fetch(`${stack.console.url}${image.variants[0].url}`, { headers: { 'if-none-match': first.headers.get('etag') as string } });

    // Assess
    expect(first.headers.get('etag')).toBeTruthy();
    expect(again.status).toBe(304);
    expect(again.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers 404 for a variant the image does not list, and 400 for a path trick', async () => {
    // Act
    const missing = await api(`/api/images/${uploaded.flowers.imageId}/variants/w9999.webp`);
    const trick = await api(`/api/images/${uploaded.flowers.imageId}/variants/..%2F..%2Fsecret.json`);
    const badId = await api('/api/images/not-an-id');

    // Assess
    expect(missing.status).toBe(404);
    expect(trick.status).toBe(400);
    expect(badId.status).toBe(400);
  });

  it('finds the same picture uploaded under another name as a near-duplicate at distance 0', async () => {
    // Act
    const answer = await api(`/api/images/${uploaded.flowers.imageId}/similar`);

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.items).toContainEqual(expect.objectContaining({ distance: 0, image: expect.objectContaining({ imageId: uploaded.flowersAgain.imageId }) }));
    expect(answer.body.items.map((entry: any) => entry.image.imageId)).not.toContain(uploaded.flowers.imageId);
  });
});

describe('executions', () => {
  it('shows a failed run state by state, with the caught error and its reason', async () => {
    // Prepare
    const { image } = (await api(`/api/images/${uploaded.corrupt.imageId}`)).body;

    // Act
    const answer = await api(`/api/executions/${image.executionName}`);

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.execution.status).toBe('FAILED');
    const resize = answer.body.states.find((state: any) => state.name === 'ResizeImage');
    expect(resize.outcome).toBe('caught');
    expect(resize.errors.map((entry: any) => entry.error)).toContain('CorruptImageError');
    expect(answer.body.outcomes.RecordFailure).toBe('succeeded');
    expect(answer.body.timeline.length).toBeGreaterThan(5);
  });

  it('re-runs a failed execution under a new name with the same input', async () => {
    // Prepare
    const { image } = (await api(`/api/images/${uploaded.corrupt.imageId}`)).body;

    // Act
    const answer = await api(`/api/executions/${image.executionName}/rerun`, { method: 'POST' });
    await stack.waitForIdle();
    const rerun = await api(`/api/executions/${answer.body.name}`);

    // Assess
    expect(answer.status).toBe(201);
    expect(rerun.body.execution.input).toEqual((await api(`/api/executions/${image.executionName}`)).body.execution.input);
    expect(rerun.body.execution.status).toBe('FAILED');
  });

  it('redrives a failed execution', async () => {
    // Prepare
    const failed = (await api('/api/executions?status=FAILED&limit=1')).body.items[0];

    // Act
    const answer = await api(`/api/executions/${failed.name}/redrive`, { method: 'POST' });
    await stack.waitForIdle();
    const after = await api(`/api/executions/${failed.name}`);

    // Assess
    expect(answer.status).toBe(200);
    expect(after.body.execution.redriveCount).toBe(1);
  });

  it('refuses to redrive a succeeded execution with 409', async () => {
    // Prepare
    const succeeded = (await api('/api/executions?status=SUCCEEDED&limit=1')).body.items[0];

    // Act
    const answer = await api(`/api/executions/${succeeded.name}/redrive`, { method: 'POST' });

    // Assess
    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe('ExecutionNotRedrivable');
  });

  it('paginates executions with a cursor', async () => {
    // Act
    const first = await api('/api/executions?limit=2');
    const second = await api(`/api/executions?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);

    // Assess
    expect(first.body.items).toHaveLength(2);
    expect(second.body.items.length).toBeGreaterThan(0);
    expect(second.body.items.map((run: any) => run.name)).not.toContain(first.body.items[0].name);
  });

  it('answers 404 for an unknown execution and 400 for an illegal name', async () => {
    expect((await api('/api/executions/img-nothing-here')).status).toBe(404);
    expect((await api('/api/executions/bad%20name')).status).toBe(400);
    expect((await api('/api/executions?status=DONE')).status).toBe(400);
  });

  it('returns the state-machine definition for the graph', async () => {
    // Act
    const answer = await api('/api/state-machine');

    // Assess
    expect(answer.body.definition.StartAt).toBe('ResizeImage');
    expect(Object.keys(answer.body.definition.States)).toEqual(expect.arrayContaining(['ResizeImage', 'AnalyseImage', 'StoreMetadata', 'RecordFailure']));
  });
});

describe('outbox', () => {
  it('lists the notifications the runs sent, newest first, with a page limit', async () => {
    // Act
    const answer = await api('/api/outbox?limit=3');

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.items.length).toBeGreaterThan(0);
    expect(answer.body.items.length).toBeLessThanOrEqual(3);
    const times = answer.body.items.map((item: any) => item.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('holds the e-mail to the address the upload named in its presigned metadata', async () => {
    // Act: SendEmail is the run's last task, after the image item is stored, so wait for this upload's own e-mail.
    const email = await waitFor(async () => (await listAllOutbox()).find((item) => item.kind === 'email' && String(item.email.text).includes(uploaded.face.imageId)), {
      what: "the face upload's e-mail in the outbox",
    });
    const single = await api(`/api/outbox/${encodeURIComponent(email.id)}`);
    const emails = (await listAllOutbox()).filter((item) => item.kind === 'email');

    // Assess
    expect(email.email.to).toEqual(['owner@example.com']);
    expect(email.email.text).toContain(uploaded.face.key);
    expect(single.status).toBe(200);
    expect(single.body.item.id).toBe(email.id);
    expect(emails.filter((item) => String(item.email.text).includes(uploaded.corrupt.imageId))).toEqual([]);
  });

  it('answers 404 for an unknown outbox item and 400 for a malformed id', async () => {
    expect((await api('/api/outbox/20260101T000000000Z-000001-sns-deadbeef')).status).toBe(404);
    expect((await api('/api/outbox/..%2Fsecrets')).status).toBe(400);
  });
});

describe('cross-origin protection', () => {
  it('refuses a read from another origin and grants no CORS', async () => {
    // Act
    const answer = await api('/api/images', { headers: { origin: 'https://evil.example' } });

    // Assess
    expect(answer.status).toBe(403);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses an upload request and a preflight from another origin', async () => {
    // Act
    const post = await api('/api/uploads', { method: 'POST', headers: { origin: 'http://127.0.0.1:1', 'content-type': 'application/json' }, body: JSON.stringify({ fileName: 'a.jpg', contentType: 'image/jpeg', size: 1 }) });
    const preflight = await fetch(`${stack.console.url}/api/uploads`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });

    // Assess
    expect(post.status).toBe(403);
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('accepts its own origin', async () => {
    // Act
    const answer = await api('/api/images?limit=1', { headers: { origin: stack.console.url } });

    // Assess
    expect(answer.status).toBe(200);
  });
});

describe('front end', () => {
  it('serves the page with a strict content security policy and the built assets', async () => {
    // Act
    const page = await fetch(`${stack.console.url}/`);
    const html = await page.text();
    const script = await fetch(`${stack.console.url}/assets/app.js`);

    // Assess
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html).toContain('/assets/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await script.text()).length).toBeGreaterThan(1000);
  });
});
