import { createHash, randomBytes } from 'node:crypto';
import type { TokenSet } from './user-pool';

/** Where to sign in and as whom. */
export interface SignInOptions {
  /** Base of the hosted sign-in (`<user pool server>/<pool id>` locally). */
  authDomainUrl: string;
  clientId: string;
  /** A callback URL the client accepts (locally any URL on an allowed web origin). */
  redirectUri: string;
  /** Without them, the automatic sign-in of the default user is used (if the pool offers it). */
  email?: string;
  password?: string;
}

/**
 * Signs in through the hosted sign-in as a browser would, over HTTP: the authorization code flow with PKCE, the
 * login form when asked for one, and the code exchange at the token endpoint. For tests, benches and scripts.
 * @throws Error naming the step that failed (a wrong password, an unknown client, a refused redirect).
 */
export async function signInThroughHostedUi(options: SignInOptions): Promise<TokenSet> {
  const verifier = randomBytes(32).toString('base64url');
  const params = {
    response_type: 'code',
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    state: randomBytes(8).toString('hex'),
    scope: 'openid email profile',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  };
  const authorize = new URL(`${options.authDomainUrl}/oauth2/authorize`);
  for (const [name, value] of Object.entries(params)) authorize.searchParams.set(name, value);
  // Asking for a particular user means not taking the automatic sign-in, as after a sign-out.
  const cookie: Record<string, string> = options.email ? { cookie: 'sip_local_idp_signed_out=1' } : {};
  let answer = await fetch(authorize, { redirect: 'manual', headers: cookie });
  if (answer.status !== 302) throw new Error(`authorize answered ${answer.status}: ${await answer.text()}`);
  let location = new URL(answer.headers.get('location') ?? '', authorize);
  if (location.pathname.endsWith('/login')) {
    if (!options.email || !options.password) throw new Error('the sign-in asks for a password and none was given');
    answer = await fetch(location, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...params, username: options.email, password: options.password }),
    });
    if (answer.status !== 302)
      throw new Error(`sign-in as ${options.email} refused: ${/role="alert">([^<]*)</.exec(await answer.text())?.[1] ?? answer.status}`);
    location = new URL(answer.headers.get('location') ?? '', authorize);
  }
  const code = location.searchParams.get('code');
  if (!code || location.searchParams.get('state') !== params.state)
    throw new Error(`the sign-in sent the browser to ${location} without this sign-in's code`);
  const token = await fetch(`${options.authDomainUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: options.clientId,
      code,
      redirect_uri: options.redirectUri,
      code_verifier: verifier,
    }),
  });
  if (!token.ok) throw new Error(`the token endpoint answered ${token.status}: ${await token.text()}`);
  return (await token.json()) as TokenSet;
}
