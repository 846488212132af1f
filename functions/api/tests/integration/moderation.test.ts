/**
 * The moderation review through the local stack's HTTP API: real uploads, the real state machine waiting in
 * AwaitReview on local mode's engine, local Rekognition (nsfwjs) for the moderation labels. Quarantine is set to catch
 * every image here (threshold 0 on every image) so the test does not depend on a model's score for one photo.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { listAll, startWebAppStack, uploadAs, type TestUser, type WebAppStack } from '../support/web-app-stack';

jest.setTimeout(420_000);

const QUARANTINE_EVERYTHING = JSON.stringify({ detectModeration: 'always', minModerationConfidence: 0, quarantineMinConfidence: 0 });
/** What every presigned S3 URL carries; no answer about a withheld image may contain one. */
const SIGNED_URL = /X-Amz-Signature/i;

let app: WebAppStack;
let admin: TestUser;
let owner: TestUser;
let other: TestUser;
const images: Record<string, { imageId: string; key: string }> = {};

async function statusOf(user: TestUser, imageId: string, until: (status: string) => boolean): Promise<string> {
  for (let i = 0; i < 1200; i += 1) {
    const { body } = await user.call(`/images/${imageId}/status`);
    if (until(body.status)) return body.status;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`image ${imageId} never left its status`);
}

const queue = async () => listAll(admin, '/admin/reviews');

async function waitInQueue(imageId: string): Promise<any> {
  for (let i = 0; i < 1200; i += 1) {
    const entry = (await queue()).find((item) => item.imageId === imageId);
    if (entry) return entry;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`image ${imageId} never reached the review queue`);
}

function decide(user: TestUser, imageId: string, body: unknown) {
  return user.call(`/admin/reviews/${imageId}/decision`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Every answer a user can get about images, as text, to search for signed URLs. */
async function everyImageAnswer(user: TestUser, imageId: string, label: string): Promise<string[]> {
  const paths = [
    '/images?status=ALL',
    '/images?status=QUARANTINED',
    '/images?status=REJECTED',
    `/images?label=${encodeURIComponent(label)}&status=ALL`,
    '/images?text=a&status=ALL',
    '/failures',
    `/images/${imageId}`,
    `/images/${imageId}/status`,
    `/images/${imageId}/similar`,
    ...(user === admin ? ['/admin/images?status=ALL', '/admin/executions'] : []),
  ];
  return Promise.all(paths.map(async (path) => `${path} ${JSON.stringify((await user.call(path)).body)}`));
}

beforeAll(async () => {
  app = await startWebAppStack({ parameterOverrides: { PipelineConfig: QUARANTINE_EVERYTHING } });
  admin = await app.signInDefault();
  owner = await app.createUser('owner@example.com');
  other = await app.createUser('other@example.com');
  images.approved = await uploadAs(owner, 'flowers.jpeg', 'flowers.jpeg');
  images.rejected = await uploadAs(owner, 'background.jpg', 'background.jpg');
  images.corrupt = await uploadAs(owner, 'corrupt-header.jpg', 'corrupt-header.jpg');
  await Promise.all([waitInQueue(images.approved.imageId), waitInQueue(images.rejected.imageId)]);
  await statusOf(owner, images.corrupt.imageId, (status) => status === 'FAILED');
});

afterAll(async () => {
  await app?.stop();
});

describe('moderation review through the API', () => {
  it('keeps a quarantined image out of view: no signed URL in any route, for its owner or an admin, only a placeholder flag', async () => {
    // Prepare
    const detail = (await owner.call(`/images/${images.approved.imageId}`)).body.image;
    const label = detail.analysis?.sections?.labels?.items?.[0]?.name ?? 'Flower';

    // Act
    const answers = [
      ...(await everyImageAnswer(owner, images.approved.imageId, label)),
      ...(await everyImageAnswer(admin, images.approved.imageId, label)),
    ];
    const listed = (await listAll(owner, '/images', 'status=ALL')).find((item) => item.imageId === images.approved.imageId);

    // Assess
    expect(detail).toMatchObject({ status: 'QUARANTINED', withheld: true, variants: [], thumbnail: null, placeholder: null });
    expect(detail.quarantine.labels.length).toBeGreaterThan(0);
    expect(listed).toMatchObject({ status: 'QUARANTINED', withheld: true, thumbnail: null, placeholder: null });
    expect(answers.filter((answer) => SIGNED_URL.test(answer))).toEqual([]);
    expect(answers.join('\n')).not.toMatch(/\/w\d+\.(webp|jpg)/);
  });

  it('lists the queue for admins only, with the labels and a short-lived URL that serves the image', async () => {
    // Act
    const entry = (await queue()).find((item) => item.imageId === images.approved.imageId);
    const bytes = await fetch(entry.url);
    const refused = await owner.call('/admin/reviews');

    // Assess
    expect(entry).toMatchObject({ owner: owner.sub, status: 'QUARANTINED', threshold: 0, name: 'flowers.jpeg' });
    expect(entry.labels.length).toBeGreaterThan(0);
    expect(entry.url).toMatch(SIGNED_URL);
    expect(bytes.status).toBe(200);
    expect(bytes.headers.get('content-type')).toMatch(/^image\//);
    expect(refused.status).toBe(403);
  });

  it('refuses bad decisions with a clear 4xx and changes nothing', async () => {
    // Act
    const answers = await Promise.all([
      decide(admin, images.approved.imageId, { decision: 'maybe', reason: 'x' }),
      decide(admin, images.approved.imageId, { decision: 'approve', reason: '' }),
      decide(admin, images.approved.imageId, { decision: 'approve', reason: 'ok', extra: 1 }),
      decide(admin, 'f'.repeat(32), { decision: 'approve', reason: 'ok' }),
      decide(admin, images.corrupt.imageId, { decision: 'approve', reason: 'ok' }),
      decide(other, images.approved.imageId, { decision: 'approve', reason: 'ok' }),
      decide(admin, 'not-an-id', { decision: 'approve', reason: 'ok' }),
    ]);

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 404, 404, 403, 400]);
    expect(answers[0].body.error.message).toContain('must be "approve" or "reject"');
    expect((await owner.call(`/images/${images.approved.imageId}/status`)).body.status).toBe('QUARANTINED');
    expect((await queue()).map((item) => item.imageId)).toEqual(expect.arrayContaining([images.approved.imageId, images.rejected.imageId]));
  });

  it('approves: the run resumes, the owner gets the variants, and a second decision is a 409', async () => {
    // Act
    const decided = await decide(admin, images.approved.imageId, { decision: 'approve', reason: 'Just flowers.' });
    const status = await statusOf(owner, images.approved.imageId, (value) => value !== 'QUARANTINED');
    const again = await decide(admin, images.approved.imageId, { decision: 'reject', reason: 'changed my mind' });
    const detail = (await owner.call(`/images/${images.approved.imageId}`)).body.image;

    // Assess
    expect(decided.status).toBe(202);
    expect(decided.body).toEqual({ imageId: images.approved.imageId, decision: 'approve', status: 'DECIDING' });
    expect(status).toBe('SUCCEEDED');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('AlreadyDecided');
    expect(detail.withheld).toBe(false);
    expect(detail.variants.length).toBeGreaterThan(0);
    expect(detail.variants[0].url).toMatch(SIGNED_URL);
    expect((await queue()).map((item) => item.imageId)).not.toContain(images.approved.imageId);
  });

  it('rejects: the image becomes REJECTED, stays a placeholder, and the decision is audited with who and why', async () => {
    // Act
    const decided = await decide(admin, images.rejected.imageId, { decision: 'reject', reason: 'Not for this site.' });
    const status = await statusOf(owner, images.rejected.imageId, (value) => value !== 'QUARANTINED');
    const detail = (await owner.call(`/images/${images.rejected.imageId}`)).body.image;
    const table = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: app.stack.edgeUrl,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      }),
    );
    const { Items = [] } = await table.send(
      new QueryCommand({
        TableName: app.stack.resources.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :audit)',
        ExpressionAttributeValues: { ':pk': `IMAGE#${images.rejected.imageId}`, ':audit': 'AUDIT#' },
      }),
    );

    // Assess
    expect(decided.status).toBe(202);
    expect(status).toBe('REJECTED');
    expect(detail).toMatchObject({
      status: 'REJECTED',
      withheld: true,
      variants: [],
      review: { decision: 'reject', reason: 'Not for this site.' },
    });
    expect(Items).toHaveLength(1);
    expect(Items[0]).toMatchObject({
      decision: 'reject',
      reason: 'Not for this site.',
      decidedBy: admin.sub,
      applied: true,
      statusAfter: 'REJECTED',
    });
  });

  it('lists the audit log for admins, newest first, paged, filtered by image; 403 for a user, 400 for a bad cursor', async () => {
    // Act
    const whole = await admin.call('/admin/audit');
    const first = await admin.call('/admin/audit?limit=1');
    const second = await admin.call(`/admin/audit?limit=1&cursor=${first.body.nextCursor}`);
    const oneImage = await admin.call(`/admin/audit?imageId=${images.approved.imageId}`);
    const asUser = await owner.call('/admin/audit');
    const forged = Buffer.from(JSON.stringify({ k: 'audit', s: 'all', f: 'ALL', p: { PK: 'USER#x', SK: 'PREFERENCES' } })).toString(
      'base64url',
    );
    const badCursor = await admin.call('/admin/audit?cursor=not-a-cursor!');
    const forgedCursor = await admin.call(`/admin/audit?cursor=${forged}`);
    const otherFilters = await admin.call(`/admin/audit?imageId=${images.rejected.imageId}&cursor=${first.body.nextCursor}`);
    const badImage = await admin.call('/admin/audit?imageId=nope');

    // Assess
    expect(whole.status).toBe(200);
    expect(whole.body.items.map((item: { imageId: string }) => item.imageId)).toEqual([images.rejected.imageId, images.approved.imageId]);
    expect(whole.body.items[0]).toMatchObject({
      decision: 'reject',
      reason: 'Not for this site.',
      decidedBy: admin.sub,
      statusBefore: 'QUARANTINED',
      statusAfter: 'REJECTED',
      applied: true,
      timedOut: false,
    });
    expect(whole.body.items[0].labels.length).toBeGreaterThan(0);
    expect(JSON.stringify(whole.body)).not.toMatch(/taskToken|X-Amz-Signature/i);
    expect(whole.body.nextCursor).toBeNull();
    expect(first.body.items).toEqual([whole.body.items[0]]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(second.body.items).toEqual([whole.body.items[1]]);
    expect(oneImage.body.items).toEqual([whole.body.items[1]]);
    expect(asUser.status).toBe(403);
    expect([badCursor.status, forgedCursor.status, otherFilters.status, badImage.status]).toEqual([400, 400, 400, 400]);
    expect(otherFilters.body.error.message).toContain('other filters');
  });
});
