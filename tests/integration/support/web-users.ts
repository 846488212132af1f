import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { signInThroughHostedUi } from '../../../local/services/cognito-idp/sign-in-client';
import type { LocalStack } from '../../../local/stack';

/** A user of the local user pool, signed in, who uploads through the web app's API as the browser does. */
export interface WebUser {
  email: string;
  /** The Cognito sub: the owner of what the user uploads. */
  sub: string;
  accessToken: string;
}

const PASSWORD = 'Notify-e2e-Passw0rd!';

/**
 * Creates a user through the pool's admin API on the edge (as `npm run users` does, plus any phone attributes) and
 * signs them in through the hosted sign-in. `redirectUri` must be on one of the stack's allowed origins.
 */
export async function createWebUser(
  stack: LocalStack,
  email: string,
  options: { redirectUri: string; phone?: { number: string; verified: boolean } },
): Promise<WebUser> {
  const webApp = stack.webApp as NonNullable<LocalStack['webApp']>;
  const client = new CognitoIdentityProviderClient({
    endpoint: stack.edgeUrl,
    region: webApp.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const attributes: AttributeType[] = [{ Name: 'email', Value: email }];
    if (options.phone)
      attributes.push(
        { Name: 'phone_number', Value: options.phone.number },
        { Name: 'phone_number_verified', Value: String(options.phone.verified) },
      );
    const created = await client.send(
      new AdminCreateUserCommand({ UserPoolId: webApp.userPoolId, Username: email, UserAttributes: attributes, MessageAction: 'SUPPRESS' }),
    );
    await client.send(
      new AdminSetUserPasswordCommand({ UserPoolId: webApp.userPoolId, Username: email, Password: PASSWORD, Permanent: true }),
    );
    const tokens = await signInThroughHostedUi({
      authDomainUrl: webApp.authDomainUrl,
      clientId: webApp.userPoolClientId,
      redirectUri: options.redirectUri,
      email,
      password: PASSWORD,
    });
    const sub = created.User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value ?? '';
    return { email, sub, accessToken: tokens.access_token };
  } finally {
    client.destroy();
  }
}

/** Calls the web app's HTTP API as the user. @throws Error for an answer that is not 2xx. */
export async function callApi<T>(stack: LocalStack, user: WebUser, method: string, path: string, body?: unknown): Promise<T> {
  const webApp = stack.webApp as NonNullable<LocalStack['webApp']>;
  const answer = await fetch(`${webApp.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${user.accessToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await answer.text();
  if (!answer.ok) throw new Error(`${method} ${path} answered ${answer.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** Uploads one file as the web app does: a presigned POST from the API, then the form straight to the uploads bucket. */
export async function uploadAs(stack: LocalStack, user: WebUser, fileName: string, bytes: Buffer, contentType: string): Promise<void> {
  const presigned = await callApi<{ url: string; fields: Record<string, string> }>(stack, user, 'POST', '/uploads', {
    fileName,
    contentType,
    size: bytes.length,
  });
  const form = new FormData();
  for (const [name, value] of Object.entries(presigned.fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(bytes)], { type: contentType }), fileName);
  const answer = await fetch(presigned.url, { method: 'POST', body: form });
  if (!answer.ok) throw new Error(`the presigned POST of ${fileName} answered ${answer.status}: ${await answer.text()}`);
}
