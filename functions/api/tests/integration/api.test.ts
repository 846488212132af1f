import fc from 'fast-check';
import { imageIdFor, uploadKeyFor } from '@smart-image-pipeline/contracts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { signJwt } from '../../../../local/services/cognito-idp/jwt';
import { throwawaySigningKey } from '../../../../local/services/cognito-idp/signing-key';
import {
  FIXTURES,
  listAll,
  postForm,
  startWebAppStack,
  uploadAs,
  WEB_ORIGIN,
  type TestUser,
  type WebAppStack,
} from '../support/web-app-stack';

// Generous: the stack, the vision models and eight runs share 2 cores with other suites.
jest.setTimeout(420_000);

const HOSTILE_NAME = '<img src=x onerror=alert(1)> "quoted" & <b>bold.jpg';

let app: WebAppStack;
let admin: TestUser;
let alice: TestUser;
let bob: TestUser;
const mine: Record<string, { imageId: string; key: string }> = {};
const bobs: Record<string, { imageId: string; key: string }> = {};

beforeAll(async () => {
  app = await startWebAppStack();
  admin = await app.signInDefault();
  alice = await app.createUser('alice@example.com');
  bob = await app.createUser('bob@example.com');
  mine.face = await uploadAs(alice, 'ai-face.jpg', HOSTILE_NAME);
  mine.group = await uploadAs(alice, 'group-1.jpg', 'group of people.jpg');
  mine.landscape = await uploadAs(alice, 'background.jpg', 'landscape.jpg');
  mine.flowers = await uploadAs(alice, 'flowers.jpeg', 'flowers.jpeg');
  mine.flowersAgain = await uploadAs(alice, 'flowers.jpeg', 'flowers copy.jpeg');
  mine.corrupt = await uploadAs(alice, 'corrupt-header.jpg', 'corrupt-header.jpg');
  bobs.flowers = await uploadAs(bob, 'flowers.jpeg', 'flowers.jpeg');
  bobs.group = await uploadAs(bob, 'group-1.jpg', 'group.jpg');
  await app.stack.waitForIdle();
});

afterAll(async () => {
  await app?.stop();
});

describe('presigned uploads', () => {
  it("go to the caller's own folder, one run each, every image in a final status", async () => {
    // Act
    const statuses = await Promise.all(
      Object.values(mine).map(async ({ imageId }) => (await alice.call(`/images/${imageId}/status`)).body.status),
    );

    // Assess
    expect(Object.values(mine).every(({ key }) => key.startsWith(`uploads/${alice.sub}/`))).toBe(true);
    expect(Object.values(bobs).every(({ key }) => key.startsWith(`uploads/${bob.sub}/`))).toBe(true);
    expect(statuses.sort()).toEqual(['FAILED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  });

  it('answers with a POST form for the edge whose policy fixes key, type and size', async () => {
    // Act
    const answer = await alice.call('/uploads', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fileName: 'a/../b.png', contentType: 'image/png', size: 1234 }),
    });

    // Assess
    expect(answer.status).toBe(201);
    expect(answer.body.method).toBe('POST');
    expect(answer.body.url).toBe(`${app.stack.edgeUrl}/${app.stack.resources.uploadsBucket}`);
    expect(answer.body.key).toMatch(new RegExp(`^uploads/${alice.sub}/[0-9a-f-]{36}-a_.._b\\.png$`));
    expect(answer.body.fields['Content-Type']).toBe('image/png');
  });

  it.each([
    ['an oversized file', { fileName: 'big.jpg', contentType: 'image/jpeg', size: 104857601 }, 400],
    ['a type that is no raster image', { fileName: 'x.svg', contentType: 'image/svg+xml', size: 10 }, 400],
    ['a key chosen by the caller', { fileName: 'x.jpg', contentType: 'image/jpeg', size: 10, key: 'uploads/other/x.jpg' }, 400],
  ])('refuses %s with a reason', async (_case, body, status) => {
    // Act
    const answer = await alice.call('/uploads', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

    // Assess
    expect(answer.status).toBe(status);
    expect(answer.body.error.message).toMatch(/\w/);
  });

  it('lets S3 refuse a file bigger than declared, another key, or another type, and stores nothing', async () => {
    // Prepare
    const bytes = await readFile(path.join(FIXTURES, 'flowers.jpeg'));
    const presign = async () =>
      (
        await alice.call('/uploads', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ fileName: 'x.jpg', contentType: 'image/jpeg', size: 100 }),
        })
      ).body;
    const [tooBig, otherKey, otherType] = [await presign(), await presign(), await presign()];
    const before = app.stack.services.s3.listObjects(app.stack.resources.uploadsBucket).length;

    // Act
    const big = await postForm(tooBig.url, tooBig.fields, bytes, 'x.jpg', 'image/jpeg');
    const stolen = await postForm(
      otherKey.url,
      { ...otherKey.fields, key: uploadKeyFor(bob.sub, '0f8fad5b-d9cb-469f-a165-70867728950e', 'x.jpg') },
      bytes.subarray(0, 100),
      'x.jpg',
      'image/jpeg',
    );
    const html = await postForm(
      otherType.url,
      { ...otherType.fields, 'Content-Type': 'text/html' },
      bytes.subarray(0, 100),
      'x.jpg',
      'text/html',
    );

    // Assess
    expect([big.status, await big.text()]).toEqual([400, expect.stringContaining('EntityTooLarge')]);
    expect([stolen.status, await stolen.text()]).toEqual([403, expect.stringContaining('Policy Condition failed')]);
    expect(html.status).toBe(403);
    expect(app.stack.services.s3.listObjects(app.stack.resources.uploadsBucket).length).toBe(before);
  });
});

describe('my images', () => {
  it('pages through exactly my succeeded images once, newest first', async () => {
    // Act
    const items = await listAll(alice, '/images', 'limit=2');

    // Assess
    const ids = items.map((item) => item.imageId);
    expect(ids.sort()).toEqual(
      [mine.face, mine.group, mine.landscape, mine.flowers, mine.flowersAgain].map((entry) => entry.imageId).sort(),
    );
    const times = items.map((item) => item.updatedAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(items.every((item) => item.owner === alice.sub)).toBe(true);
  });

  it('lists my failures with their error', async () => {
    // Act
    const items = await listAll(alice, '/failures');

    // Assess
    expect(items.map((item) => item.imageId)).toEqual([mine.corrupt.imageId]);
    expect(items[0].error.name).toBe('CorruptImageError');
  });

  it('gives each card a short-lived thumbnail URL that serves WebP', async () => {
    // Act
    const [item] = await listAll(alice, '/images', 'limit=1');
    const thumbnail = await fetch(item.thumbnail.url);

    // Assess
    expect(item.thumbnail.url).toMatch(/\/images\/[0-9a-f]{32}\/[0-9a-f]{16}\/w256\.webp\?.*X-Amz-Expires=600/);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    expect(
      Buffer.from(await thumbnail.arrayBuffer())
        .subarray(8, 12)
        .toString('latin1'),
    ).toBe('WEBP');
    expect(item.placeholder.kind).toBe('thumbhash');
    expect(item).not.toHaveProperty('variants');
  });

  it('filters by faces, text, moderation, label and time the same way the stored items say', async () => {
    // Prepare
    const all = await Promise.all(
      (await listAll(alice, '/images')).map(async (item) => (await alice.call(`/images/${item.imageId}`)).body.image),
    );
    const withFaces = all
      .filter((image) => (image.faceCount ?? 0) > 0)
      .map((image) => image.imageId)
      .sort();
    const labelsOf = (image: any): any[] => image.analysis?.sections?.labels?.items ?? [];
    const label = 'person';
    const withLabel = all
      .filter((image) =>
        labelsOf(image).some((entry) =>
          [entry.name, ...(entry.attributes?.parents ?? [])].some((name: string) => name.toLowerCase() === label),
        ),
      )
      .map((image) => image.imageId)
      .sort();
    const newest = all
      .map((image) => image.updatedAt)
      .sort()
      .at(-1) as string;

    // Act
    const faces = (await listAll(alice, '/images', 'hasFaces=true')).map((item) => item.imageId).sort();
    const noFaces = (await listAll(alice, '/images', 'hasFaces=false')).map((item) => item.imageId);
    const byLabel = (await listAll(alice, '/images', `label=${label.toUpperCase()}`)).map((item) => item.imageId).sort();
    const combined = await listAll(
      alice,
      '/images',
      `label=${label}&hasFaces=true&moderated=false&from=2000-01-01&to=${encodeURIComponent(newest)}`,
    );
    const unflagged = await listAll(alice, '/images', 'moderated=false');
    const noText = await listAll(alice, '/images', 'text=zzzz-no-such-text');
    const future = await listAll(alice, '/images', 'from=2999-01-01');

    // Assess
    expect(withFaces.length).toBeGreaterThan(0);
    expect(faces).toEqual(withFaces);
    expect(noFaces.some((id) => withFaces.includes(id))).toBe(false);
    expect(withLabel.length).toBeGreaterThan(0);
    expect(byLabel).toEqual(withLabel);
    const unflaggedIds = all.filter((image) => !image.moderated).map((image) => image.imageId);
    expect(combined.map((item) => item.imageId).sort()).toEqual(
      withLabel.filter((id) => withFaces.includes(id) && unflaggedIds.includes(id)),
    );
    expect(unflagged.length).toBe(all.filter((image) => !image.moderated).length);
    expect(noText).toEqual([]);
    expect(future).toEqual([]);
  });

  it('orders a label search by confidence, most confident first, honouring the minimum', async () => {
    // Act
    const sorted = await listAll(alice, '/images', 'label=person&limit=1');
    const confident = await listAll(alice, '/images', 'label=person&minConfidence=99.99');

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
    ['owner=unowned'],
    ['from=last-week'],
    ['label=a&label=b'],
  ])('refuses %s with a 400 JSON error', async (query) => {
    // Act
    const answer = await alice.call(`/images?${query}`);

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(typeof answer.body.error.message).toBe('string');
  });

  it('refuses a cursor made for other filters', async () => {
    // Prepare
    const first = await alice.call('/images?limit=1');

    // Act
    const answer = await alice.call(`/images?limit=1&status=ALL&cursor=${encodeURIComponent(first.body.nextCursor)}`);

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(/other filters/);
  });
});

describe('image detail', () => {
  it('returns a hostile file name as a plain JSON string, without the upload id', async () => {
    // Act
    const answer = await alice.call(`/images/${mine.face.imageId}`);

    // Assess
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.body.image.name).toBe(HOSTILE_NAME);
    expect(answer.body.image).not.toHaveProperty('GSI2PK');
  });

  it('reports an image status, PENDING while nothing is stored yet', async () => {
    // Act
    const done = await alice.call(`/images/${mine.corrupt.imageId}/status`);
    const pending = await alice.call(`/images/${'0'.repeat(32)}/status`);

    // Assess
    expect(done.body).toEqual(expect.objectContaining({ status: 'FAILED', error: expect.objectContaining({ name: 'CorruptImageError' }) }));
    expect(pending.body.status).toBe('PENDING');
  });

  it('gives every variant a presigned GET that S3 serves with its real content type', async () => {
    // Prepare
    const { image } = (await alice.call(`/images/${mine.flowers.imageId}`)).body;
    const webp = image.variants.find((variant: any) => variant.format === 'webp');
    const jpeg = image.variants.find((variant: any) => variant.format === 'jpeg');

    // Act
    const webpAnswer = await fetch(webp.url);
    const jpegAnswer = await fetch(jpeg.url);
    const webpBytes = Buffer.from(await webpAnswer.arrayBuffer());
    const jpegBytes = Buffer.from(await jpegAnswer.arrayBuffer());

    // Assess
    expect(webpAnswer.headers.get('content-type')).toBe('image/webp');
    expect(webpBytes.length).toBe(webp.bytes);
    expect(jpegAnswer.headers.get('content-type')).toBe('image/jpeg');
    expect([...jpegBytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  });

  it("finds the same picture under another name as a near-duplicate at distance 0, among the caller's images only", async () => {
    // Act
    const answer = await alice.call(`/images/${mine.flowers.imageId}/similar`);
    const asAdmin = await admin.call(`/images/${mine.flowers.imageId}/similar`);

    // Assess
    const ids = answer.body.items.map((entry: any) => entry.image.imageId);
    expect(answer.body.items).toContainEqual(
      expect.objectContaining({ distance: 0, image: expect.objectContaining({ imageId: mine.flowersAgain.imageId }) }),
    );
    expect(ids).not.toContain(bobs.flowers.imageId);
    expect(ids).not.toContain(mine.flowers.imageId);
    expect(asAdmin.body.items.map((entry: any) => entry.image.imageId)).toContain(bobs.flowers.imageId);
  });

  it('answers 400 for a malformed id', async () => {
    expect((await alice.call('/images/not-an-id')).status).toBe(400);
  });
});

describe('tokens', () => {
  it('refuses a request without a token, with an expired, a forged, an ID token or a garbled one, each with a reason', async () => {
    // Prepare
    const pool = app.stack.services.webApp.pools[0];
    const user = pool.user(alice.email);
    const expired = pool.issueTokens(user, app.web.userPoolClientId, { lifetimeSeconds: -120 }).access_token;
    const claims = JSON.parse(Buffer.from(alice.tokens.access_token.split('.')[1], 'base64url').toString('utf8'));
    const forged = signJwt({ ...claims, 'cognito:groups': ['admins'] }, throwawaySigningKey());
    const call = (authorization?: string) => fetch(`${app.web.apiUrl}/me`, { headers: authorization ? { authorization } : {} });

    // Act
    const answers = await Promise.all([
      call(),
      call(`Bearer ${expired}`),
      call(`Bearer ${forged}`),
      call(`Bearer ${alice.tokens.id_token}`),
      call('Bearer abc.def.ghi'),
      call(`Basic ${alice.tokens.access_token}`),
    ]);

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401, 401]);
    // API Gateway's authorizer answers first and names the reason in www-authenticate, as AWS does.
    expect(answers[1].headers.get('www-authenticate')).toMatch(/expired/);
    expect(answers[2].headers.get('www-authenticate')).toMatch(/key the user pool does not have/);
    expect(answers[3].headers.get('www-authenticate')).toMatch(/ID token/);
  });

  it('refuses the admin routes to a user outside the admins group with 403', async () => {
    // Act
    const answers = await Promise.all(['/admin/images', '/admin/executions', '/admin/state-machine'].map((route) => alice.call(route)));

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([403, 403, 403]);
    expect(answers[0].body.error.message).toMatch(/admins/);
  });

  it('answers only the web origin with CORS, and preflights from it', async () => {
    // Act
    const own = await fetch(`${app.web.apiUrl}/me`, {
      headers: { authorization: `Bearer ${alice.tokens.access_token}`, origin: WEB_ORIGIN },
    });
    const foreign = await fetch(`${app.web.apiUrl}/me`, {
      headers: { authorization: `Bearer ${alice.tokens.access_token}`, origin: 'https://evil.example' },
    });
    const preflight = await fetch(`${app.web.apiUrl}/uploads`, {
      method: 'OPTIONS',
      headers: {
        origin: WEB_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });

    // Assess
    expect(own.headers.get('access-control-allow-origin')).toBe(WEB_ORIGIN);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
  });
});

describe('admins', () => {
  it("list every user's images, and one user's with owner", async () => {
    // Act
    const everyone = (await listAll(admin, '/admin/images', 'status=ALL')).map((item) => item.imageId).sort();
    const bobsOnly = (await listAll(admin, '/admin/images', `owner=${bob.sub}`)).map((item) => item.imageId).sort();

    // Assess
    expect(everyone).toEqual([...Object.values(mine), ...Object.values(bobs)].map((entry) => entry.imageId).sort());
    expect(bobsOnly).toEqual(
      Object.values(bobs)
        .map((entry) => entry.imageId)
        .sort(),
    );
  });

  it('show a failed run state by state, redrive it and re-run it', async () => {
    // Prepare
    const { image } = (await admin.call(`/images/${mine.corrupt.imageId}`)).body;

    // Act
    const detail = await admin.call(`/admin/executions/${image.executionName}`);
    const rerun = await admin.call(`/admin/executions/${image.executionName}/rerun`, { method: 'POST' });
    const redrive = await admin.call(`/admin/executions/${image.executionName}/redrive`, { method: 'POST' });
    const graph = await admin.call('/admin/state-machine');
    const withBody = await admin.call(`/admin/executions/${image.executionName}/redrive`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"force":true}',
    });
    await app.stack.waitForIdle();

    // Assess
    expect(detail.body.execution.status).toBe('FAILED');
    expect(detail.body.states.find((state: any) => state.name === 'ResizeImage').outcome).toBe('caught');
    expect(rerun.status).toBe(201);
    expect(rerun.body.name).toMatch(new RegExp(`^${image.executionName}-rerun-`));
    expect(redrive.status).toBe(200);
    expect(graph.body.definition.StartAt).toBe(
      JSON.parse(await readFile(path.join(__dirname, '../../../../statemachine/image-pipeline.asl.json'), 'utf8')).StartAt,
    );
    expect(withBody.status).toBe(400);
  });

  it('page through the runs with a cursor and refuse an unknown or illegal name', async () => {
    // Act
    const first = await admin.call('/admin/executions?limit=2');
    const second = await admin.call(`/admin/executions?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    const unknown = await admin.call('/admin/executions/no-such-run');
    const illegal = await admin.call('/admin/executions/a%20b');

    // Assess
    expect(first.body.items).toHaveLength(2);
    expect(second.body.items.map((item: any) => item.name)).not.toContain(first.body.items[0].name);
    expect([unknown.status, illegal.status]).toEqual([404, 400]);
  });
});

describe('isolation between users', () => {
  /** Every image id that appears anywhere in an answer body. */
  const idsIn = (body: unknown): string[] => [...JSON.stringify(body ?? null).matchAll(/[0-9a-f]{32}/g)].map((match) => match[0]);

  it("never lets one user read another's image: not by id, not by key, not by a cursor", async () => {
    // Prepare: every id and key of Alice's, and cursors of every listing Alice can make.
    const alicesIds = Object.values(mine).map((entry) => entry.imageId);
    const alicesKeys = Object.values(mine).map((entry) => entry.key);
    const listings = [
      '/images?limit=1',
      '/images?limit=1&label=person',
      '/images?limit=1&status=ALL',
      '/failures?limit=1',
      '/images?limit=1&hasFaces=true',
    ];
    const alicesCursors = (await Promise.all(listings.map(async (listing) => (await alice.call(listing)).body.nextCursor))).filter(
      Boolean,
    ) as string[];
    const bobsCursors = (await Promise.all(listings.map(async (listing) => (await bob.call(listing)).body.nextCursor))).filter(
      Boolean,
    ) as string[];
    let requests = 0;
    let crossUserReads = 0;
    const probe = async (pathAndQuery: string) => {
      requests += 1;
      const answer = await bob.call(pathAndQuery);
      // An id the request itself named may be echoed in the refusal ("No image <id> among yours"); that reads nothing.
      const asked = new Set(idsIn(decodeURIComponent(pathAndQuery)));
      const leaked = idsIn(answer.body).filter((id) => alicesIds.includes(id) && !asked.has(id));
      crossUserReads += leaked.length;
      return { answer, leaked };
    };

    // Act
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({
            kind: fc.constant('id' as const),
            id: fc.constantFrom(...alicesIds),
            route: fc.constantFrom('', '/status', '/similar'),
          }),
          fc.record({
            kind: fc.constant('key' as const),
            key: fc.constantFrom(...alicesKeys),
            route: fc.constantFrom('', '/status', '/similar'),
            asParam: fc.boolean(),
          }),
          fc.record({
            kind: fc.constant('cursor' as const),
            cursor: fc.constantFrom(...alicesCursors),
            listing: fc.constantFrom(...listings),
            flip: fc.nat(),
          }),
          fc.record({
            kind: fc.constant('own-cursor' as const),
            cursor: fc.constantFrom(...bobsCursors),
            listing: fc.constantFrom(...listings),
          }),
        ),
        async (attempt) => {
          let result;
          if (attempt.kind === 'id') result = await probe(`/images/${attempt.id}${attempt.route}`);
          else if (attempt.kind === 'key') {
            // By key: the id the pipeline gives that key, and the key itself where the API might take one.
            result = attempt.asParam
              ? await probe(`/images?key=${encodeURIComponent(attempt.key)}`)
              : await probe(`/images/${imageIdFor(app.stack.resources.uploadsBucket, attempt.key)}${attempt.route}`);
          } else {
            // A cursor as Alice got it, or with one character changed, on any of the listings.
            const cursor =
              attempt.kind === 'cursor' && attempt.flip % 3 === 1
                ? `${attempt.cursor.slice(0, -2)}${attempt.cursor.slice(-2) === 'AA' ? 'AB' : 'AA'}`
                : attempt.cursor;
            result = await probe(`${attempt.listing}&cursor=${encodeURIComponent(cursor)}`);
          }
          // Assess (per attempt): a clear 4xx, or an answer with none of Alice's images in it.
          expect(result.leaked).toEqual([]);
          if (attempt.kind === 'id' || (attempt.kind === 'key' && !attempt.asParam))
            expect(result.answer.status === 404 || (attempt.route === '/status' && result.answer.body.status === 'PENDING')).toBe(true);
          if (attempt.kind === 'cursor') expect(result.answer.status).toBe(400);
        },
      ),
      { numRuns: 200 },
    );

    // Assess
    expect(alicesCursors.length).toBeGreaterThanOrEqual(3);
    expect(requests).toBeGreaterThanOrEqual(200);
    expect(crossUserReads).toBe(0);
    process.stdout.write(`isolation: ${requests} cross-user attempts (ids, keys, cursors), ${crossUserReads} cross-user reads\n`);
  });

  it("gives each user's listings only that user's images", async () => {
    // Act
    const alices = (await listAll(alice, '/images', 'status=ALL')).map((item) => item.imageId);
    const bobsListing = (await listAll(bob, '/images', 'status=ALL')).map((item) => item.imageId);

    // Assess
    expect(alices.sort()).toEqual(
      Object.values(mine)
        .map((entry) => entry.imageId)
        .sort(),
    );
    expect(bobsListing.sort()).toEqual(
      Object.values(bobs)
        .map((entry) => entry.imageId)
        .sort(),
    );
  });
});
