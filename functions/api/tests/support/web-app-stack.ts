import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { signInThroughHostedUi } from '../../../../local/services/cognito-idp/sign-in-client';
import type { TokenSet } from '../../../../local/services/cognito-idp/user-pool';
import { startLocalStack, type LocalStack } from '../../../../local/stack';

/** A web origin the local API, user pool and edge accept; nothing listens there, it only names the browser's page. */
export const WEB_ORIGIN = 'http://127.0.0.1:9';
export const FIXTURES = path.join(__dirname, '../../../../tests/fixtures/images');

/** One signed-in user of the local pool, with a client for the API as that user. */
export interface TestUser {
  email: string;
  sub: string;
  tokens: TokenSet;
  call(pathAndQuery: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: any }>;
}

/** The local stack with its HTTP API and user pool, on free ports and a fresh data folder. */
export interface WebAppStack {
  stack: LocalStack;
  web: NonNullable<LocalStack['webApp']>;
  /** The default user (in admins), signed in without a password as `npm start` does. */
  signInDefault(): Promise<TestUser>;
  /** Creates a user with AdminCreateUser/AdminSetUserPassword on the edge and signs in with the hosted sign-in form. */
  createUser(email: string): Promise<TestUser>;
  stop(): Promise<void>;
}

const PASSWORD = 'Correct-horse-9-battery';

/** Starts the stack for API tests. @throws Error when it cannot start. */
export async function startWebAppStack(
  options: {
    withVision?: boolean;
    parameterOverrides?: Record<string, string>;
    /** Receives every function log line (logical id, line), e.g. to wait for one a function writes when done. */
    onLog?: (logicalId: string, line: string) => void;
  } = {},
): Promise<WebAppStack> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sip-api-'));
  const stack = await startLocalStack({
    dataDir,
    edgePort: 0,
    apiPort: 0,
    authPort: 0,
    allowedOrigins: [WEB_ORIGIN],
    withVision: options.withVision,
    onLog: options.onLog,
    parameterOverrides: { NotificationEmailSender: 'pipeline@example.com', ...options.parameterOverrides },
  });
  const web = stack.webApp;
  if (!web) throw new Error('the local stack started without its web app');
  const cognito = new CognitoIdentityProviderClient({
    endpoint: stack.edgeUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const userFrom = (email: string, tokens: TokenSet): TestUser => {
    const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url').toString('utf8')) as { sub: string };
    return {
      email,
      sub: claims.sub,
      tokens,
      async call(pathAndQuery, init = {}) {
        const headers = new Headers(init.headers);
        if (!headers.has('authorization')) headers.set('authorization', `Bearer ${tokens.access_token}`);
        const response = await fetch(`${web.apiUrl}${pathAndQuery}`, { ...init, headers });
        const text = await response.text();
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          // Not JSON: kept as text for the assertion to show.
        }
        return { status: response.status, headers: response.headers, body };
      },
    };
  };
  const signIn = (email?: string) =>
    signInThroughHostedUi({
      authDomainUrl: web.authDomainUrl,
      clientId: web.userPoolClientId,
      redirectUri: `${WEB_ORIGIN}/`,
      email,
      password: email ? PASSWORD : undefined,
    });
  return {
    stack,
    web,
    async signInDefault() {
      return userFrom(web.defaultUser.email, await signIn());
    },
    async createUser(email) {
      await cognito.send(new AdminCreateUserCommand({ UserPoolId: web.userPoolId, Username: email, MessageAction: 'SUPPRESS' }));
      await cognito.send(
        new AdminSetUserPasswordCommand({ UserPoolId: web.userPoolId, Username: email, Password: PASSWORD, Permanent: true }),
      );
      return userFrom(email, await signIn(email));
    },
    async stop() {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Asks the API for a presigned POST and uploads a fixture's bytes with it, as the browser does. */
export async function uploadAs(
  user: TestUser,
  fixture: string | Buffer,
  fileName: string,
  contentType = 'image/jpeg',
): Promise<{ imageId: string; key: string }> {
  const bytes = typeof fixture === 'string' ? await readFile(path.join(FIXTURES, fixture)) : fixture;
  const presigned = await user.call('/uploads', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fileName, contentType, size: bytes.length }),
  });
  if (presigned.status !== 201) throw new Error(`POST /uploads answered ${presigned.status}: ${JSON.stringify(presigned.body)}`);
  const answer = await postForm(presigned.body.url, presigned.body.fields, bytes, fileName, contentType);
  if (answer.status !== 204) throw new Error(`the presigned POST answered ${answer.status}: ${await answer.text()}`);
  return { imageId: presigned.body.imageId, key: presigned.body.key };
}

/** Sends a presigned POST form (fields first, the file last) as a browser's FormData does. */
export function postForm(
  url: string,
  fields: Record<string, string>,
  bytes: Buffer,
  fileName: string,
  contentType: string,
): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([bytes], { type: contentType }), fileName);
  return fetch(url, { method: 'POST', body: form, headers: { origin: WEB_ORIGIN } });
}

/** Follows a listing's cursors to the end. */
export async function listAll(user: TestUser, listing: string, query = ''): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page += 1) {
    const separator = query ? '&' : '';
    const answer = await user.call(`${listing}?${query}${cursor ? `${separator}cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (answer.status !== 200) throw new Error(`${listing}?${query} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    items.push(...answer.body.items);
    cursor = answer.body.nextCursor;
    if (!cursor) return items;
  }
  throw new Error(`${listing}?${query} did not end`);
}
