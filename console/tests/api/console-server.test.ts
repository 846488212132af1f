import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { signInThroughHostedUi } from '../../../local/services/cognito-idp/sign-in-client';
import { startConsoleUnderTest, type ConsoleUnderTest } from '../support/console-stack';
import { waitFor } from '../support/wait-for';

jest.setTimeout(300_000);

const FIXTURES = path.join(__dirname, '../../../tests/fixtures/images');

let stack: ConsoleUnderTest;
/** Access tokens of the default user (an admin) and of a second, ordinary user. */
let adminToken: string;
let userToken: string;
const USER_EMAIL = 'someone@example.com';

/** A local route, with the admin's token unless another (or none: null) is given. */
async function local(
  pathAndQuery: string,
  init: RequestInit = {},
  token: string | null = adminToken,
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers = { ...(init.headers as Record<string, string>), ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const response = await fetch(`${stack.console.url}${pathAndQuery}`, { ...init, headers });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // HTML or text: kept as it is.
  }
  return { status: response.status, headers: response.headers, body };
}

/** Uploads flowers.jpeg as the token's user through the API's presigned POST. */
async function upload(token: string): Promise<void> {
  const bytes = await readFile(path.join(FIXTURES, 'flowers.jpeg'));
  const presigned = (await (
    await fetch(`${stack.webApp.apiUrl}/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fileName: 'flowers.jpeg', contentType: 'image/jpeg', size: bytes.length }),
    })
  ).json()) as { url: string; fields: Record<string, string> };
  const form = new FormData();
  for (const [name, value] of Object.entries(presigned.fields as Record<string, string>)) form.append(name, value);
  form.append('file', new Blob([bytes], { type: 'image/jpeg' }), 'flowers.jpeg');
  await fetch(presigned.url, { method: 'POST', body: form });
}

beforeAll(async () => {
  stack = await startConsoleUnderTest({ withVision: false });
  // One upload as the default user and one as a second user: each run fails without the vision models, publishes
  // Image Failed, and the notifier e-mails its owner's verified address from the local user pool into the outbox.
  const signIn = (email?: string, password?: string) =>
    signInThroughHostedUi({
      authDomainUrl: stack.webApp.authDomainUrl,
      clientId: stack.webApp.userPoolClientId,
      redirectUri: `${stack.console.url}/`,
      email,
      password,
    });
  adminToken = (await signIn()).access_token;
  await stack.stack.services.webApp.pools[0].createUser(USER_EMAIL, 'Someone-pass-1234', { permanent: true });
  userToken = (await signIn(USER_EMAIL, 'Someone-pass-1234')).access_token;
  await upload(adminToken);
  await upload(userToken);
  await stack.waitForIdle();
  // The e-mails leave through the bus and a queue; read the outbox directly until both owners' have arrived.
  await waitFor(
    async () => {
      const { items } = await stack.stack.services.notifications.outbox.listOutbox({ limit: 100 });
      const recipients = items.flatMap((item) => (item.kind === 'email' ? item.email.to : []));
      return recipients.includes(USER_EMAIL) && recipients.includes(stack.webApp.defaultUser.email) ? true : undefined;
    },
    { what: "both owners' e-mails in the outbox" },
  );
});

afterAll(async () => {
  await stack?.stop();
});

describe('config.json', () => {
  it('tells the front end where the local API and user pool are', async () => {
    // Act
    const answer = await local('/config.json');

    // Assess
    expect(answer.body).toEqual({
      apiUrl: stack.webApp.apiUrl,
      region: 'us-east-1',
      userPoolId: stack.webApp.userPoolId,
      userPoolClientId: stack.webApp.userPoolClientId,
      authDomainUrl: stack.webApp.authDomainUrl,
      local: { outbox: true, events: true },
    });
  });
});

describe('front end', () => {
  it('serves the page with a strict content security policy naming the API, the user pool and the edge', async () => {
    // Act
    const page = await local('/');
    const policy = page.headers.get('content-security-policy') ?? '';

    // Assess
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain(`connect-src 'self' ${stack.webApp.apiUrl} ${new URL(stack.webApp.authDomainUrl).origin} ${stack.edgeUrl}`);
    expect(policy).toContain(`img-src 'self' data: blob: ${stack.edgeUrl}`);
    // The HLS player plays segments through a MediaSource (a blob: URL); the MP4 rendition loads from the edge.
    expect(policy).toContain(`media-src blob: ${stack.edgeUrl}`);
  });

  it('names content-hashed assets that may be cached for ever', async () => {
    // Prepare
    const html = (await local('/')).body as string;
    const script = /\/assets\/app-[A-Z0-9]+\.js/.exec(html)?.[0] as string;

    // Act
    const answer = await fetch(`${stack.console.url}${script}`);

    // Assess
    expect(answer.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(answer.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await answer.text()).length).toBeGreaterThan(1000);
  });

  it('answers any page path with the app (single-page routing) and a missing asset with 404', async () => {
    // Act
    const page = await local('/gallery/anything');
    const missing = await local('/assets/nope.js');

    // Assess
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script type="module"');
    expect(missing.status).toBe(404);
  });
});

describe('local outbox', () => {
  it('lists the notifications the runs sent, newest first, with a page limit, and reads one', async () => {
    // Act
    const page = await waitFor(
      async () => {
        const answer = await local('/local/outbox?limit=3');
        return answer.body.items?.length ? answer : undefined;
      },
      { what: "the notifier's e-mail in the outbox" },
    );
    const single = await local(`/local/outbox/${encodeURIComponent(page.body.items[0].id)}`);

    // Assess
    expect(page.body.items.length).toBeLessThanOrEqual(3);
    expect(page.body.items[0].kind).toBe('email');
    expect(single.body.item.id).toBe(page.body.items[0].id);
  });

  it('answers 404 for an unknown item and 400 for a malformed id, an unknown parameter or a bad limit', async () => {
    expect((await local('/local/outbox/20260101T000000000Z-000001-sns-deadbeef')).status).toBe(404);
    expect((await local('/local/outbox/..%2Fsecrets')).status).toBe(400);
    expect((await local('/local/outbox?limit=1&page=2')).status).toBe(400);
    expect((await local('/local/outbox?limit=0')).status).toBe(400);
  });
});

describe('local event log', () => {
  it('lists the events the run published, with the owner and the rules that took them', async () => {
    // Act
    const page = await local('/local/events?limit=5');

    // Assess
    expect(page.status).toBe(200);
    const failed = page.body.items.find((item: { event: { 'detail-type': string } }) => item.event['detail-type'] === 'Image Failed');
    expect(failed.event.detail.owner).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(failed.deliveries.map((delivery: { rule: string }) => delivery.rule)).toEqual(
      expect.arrayContaining([expect.stringContaining('NotifyOwnerRule'), expect.stringContaining('PruneSupersededRule')]),
    );
  });

  it('answers 400 for a bad limit, an unknown parameter or a malformed cursor', async () => {
    expect((await local('/local/events?limit=0')).status).toBe(400);
    expect((await local('/local/events?page=2')).status).toBe(400);
    expect((await local('/local/events?cursor=abc')).status).toBe(400);
  });
});

describe('who sees what in the outbox and the event log', () => {
  /** The e-mail recipients and event owners a token's caller is shown (every page, 100 at a time). */
  async function seenBy(token: string): Promise<{ recipients: string[]; owners: string[]; ids: string[] }> {
    const outbox = await waitFor(
      async () => {
        const answer = await local('/local/outbox?limit=100', {}, token);
        return answer.body.items?.length ? answer.body.items : undefined;
      },
      { what: 'an e-mail in the outbox' },
    );
    const events = (await local('/local/events?limit=100', {}, token)).body.items;
    return {
      recipients: outbox.flatMap((item: { kind: string; email?: { to: string[] } }) =>
        item.kind === 'email' ? item.email!.to : [item.kind],
      ),
      owners: events.map((item: { event: { detail: { owner: string } } }) => item.event.detail.owner),
      ids: outbox.map((item: { id: string }) => item.id),
    };
  }
  const subOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).sub;

  it('answers 401 without a token or with a forged one, on every local route', async () => {
    for (const route of ['/local/outbox', '/local/events', '/local/outbox/20260101T000000000Z-000001-sns-deadbeef']) {
      expect((await local(route, {}, null)).status).toBe(401);
      expect((await local(route, {}, `${adminToken.slice(0, -4)}AAAA`)).status).toBe(401);
    }
  });

  it("shows a user only the e-mails to their address and the events of their images, and another user's item as missing", async () => {
    // Prepare: a text to a phone that is nobody's
    await stack.stack.services.notifications.outbox.add({
      kind: 'sms',
      sms: { messageId: 'm-1', phoneNumber: '+15555550199', message: 'hi' },
    });
    const admin = await seenBy(adminToken);

    // Act
    const user = await seenBy(userToken);
    const foreignId = admin.ids.find((id) => !user.ids.includes(id));
    const foreign = await local(`/local/outbox/${encodeURIComponent(foreignId as string)}`, {}, userToken);

    // Assess
    expect(user.recipients.length).toBeGreaterThan(0);
    expect(new Set(user.recipients)).toEqual(new Set([USER_EMAIL]));
    expect(user.owners.length).toBeGreaterThan(0);
    expect(new Set(user.owners)).toEqual(new Set([subOf(userToken)]));
    expect(foreign.status).toBe(404);
    expect((await local(`/local/outbox/${encodeURIComponent(user.ids[0])}`, {}, userToken)).status).toBe(200);
  });

  it("shows an admin every user's e-mails, texts and events", async () => {
    // Act
    const admin = await seenBy(adminToken);

    // Assess
    expect(admin.recipients).toEqual(expect.arrayContaining([USER_EMAIL, stack.webApp.defaultUser.email, 'sms']));
    expect(new Set(admin.owners)).toEqual(new Set([subOf(adminToken), subOf(userToken)]));
  });
});

describe('cross-origin protection', () => {
  it('refuses a read from another origin and grants no CORS', async () => {
    // Act
    const answer = await local('/local/outbox', { headers: { origin: 'https://evil.example' } });

    // Assess
    expect(answer.status).toBe(403);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('accepts its own origin', async () => {
    expect((await local('/config.json', { headers: { origin: stack.console.url } })).status).toBe(200);
  });
});
