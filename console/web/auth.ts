import { appConfig } from './config';

/** The tokens of the signed-in user, kept for this tab only (sessionStorage), never in cookies or localStorage. */
interface StoredTokens {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
}

/** Who is signed in, from the ID token (for display; the API decides from the access token). */
export interface SignedInUser {
  email: string;
  sub: string;
  groups: string[];
}

const TOKENS = 'sip.tokens';
const PENDING = 'sip.pendingSignIn';

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function randomText(bytes = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function redirectUri(): string {
  return `${location.origin}/`;
}

function readTokens(): StoredTokens | undefined {
  try {
    const stored = JSON.parse(sessionStorage.getItem(TOKENS) ?? 'null') as StoredTokens | null;
    return stored && typeof stored.accessToken === 'string' ? stored : undefined;
  } catch {
    return undefined;
  }
}

function saveTokens(
  answer: { id_token: string; access_token: string; refresh_token?: string; expires_in: number },
  previous?: StoredTokens,
): void {
  const tokens: StoredTokens = {
    idToken: answer.id_token,
    accessToken: answer.access_token,
    refreshToken: answer.refresh_token ?? previous?.refreshToken,
    expiresAt: Date.now() + answer.expires_in * 1000,
  };
  sessionStorage.setItem(TOKENS, JSON.stringify(tokens));
}

async function tokenRequest(
  body: Record<string, string>,
): Promise<{ id_token: string; access_token: string; refresh_token?: string; expires_in: number }> {
  const response = await fetch(`${appConfig().authDomainUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: appConfig().userPoolClientId, ...body }),
  });
  const answer = (await response.json().catch(() => ({}))) as { error?: string; error_description?: string };
  if (!response.ok) throw new Error(`sign-in failed: ${answer.error_description ?? answer.error ?? `HTTP ${response.status}`}`);
  return answer as { id_token: string; access_token: string; refresh_token?: string; expires_in: number };
}

/**
 * Starts the hosted sign-in: the authorization code flow with PKCE (S256). The verifier and state stay in this tab
 * until the sign-in page sends the browser back with a code; the current page is restored afterwards.
 */
export async function signIn(): Promise<never> {
  const verifier = randomText();
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const state = randomText(16);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo: location.hash }));
  const url = new URL(`${appConfig().authDomainUrl}/oauth2/authorize`);
  for (const [name, value] of Object.entries({
    response_type: 'code',
    client_id: appConfig().userPoolClientId,
    redirect_uri: redirectUri(),
    scope: 'openid email profile',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }))
    url.searchParams.set(name, value);
  location.assign(url.toString());
  return new Promise<never>(() => undefined);
}

/**
 * Finishes a sign-in when the page was opened by the sign-in's redirect (`?code=…&state=…`): checks the state,
 * exchanges the code with the PKCE verifier and removes the code from the address bar.
 * @returns true when it signed someone in. @throws Error when the state does not match or the exchange fails.
 */
export async function completeSignIn(): Promise<boolean> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (!code && !params.get('error')) return false;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as { verifier: string; state: string; returnTo: string } | null;
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', `${location.pathname}${pending?.returnTo ?? ''}`);
  if (!code) throw new Error(`sign-in failed: ${params.get('error_description') ?? params.get('error')}`);
  if (!pending || pending.state !== params.get('state'))
    throw new Error('sign-in failed: this answer does not belong to a sign-in started here');
  saveTokens(await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: redirectUri(), code_verifier: pending.verifier }));
  return true;
}

/** A current access token: the stored one, refreshed when it expires within a minute; undefined when signed out. */
export async function accessToken(options: { forceRefresh?: boolean } = {}): Promise<string | undefined> {
  const tokens = readTokens();
  if (!tokens) return undefined;
  if (!options.forceRefresh && tokens.expiresAt - Date.now() > 60_000) return tokens.accessToken;
  if (!tokens.refreshToken) return undefined;
  try {
    saveTokens(await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken }), tokens);
    return readTokens()?.accessToken;
  } catch {
    sessionStorage.removeItem(TOKENS);
    return undefined;
  }
}

/** The signed-in user from the ID token's claims, or undefined. */
export function signedInUser(): SignedInUser | undefined {
  const tokens = readTokens();
  if (!tokens) return undefined;
  try {
    const payload = JSON.parse(atob(tokens.idToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    return {
      email: String(payload.email ?? ''),
      sub: String(payload.sub ?? ''),
      groups: Array.isArray(payload['cognito:groups']) ? payload['cognito:groups'].map(String) : [],
    };
  } catch {
    return undefined;
  }
}

/** Forgets the tokens and signs out of the hosted sign-in too, which sends the browser back here. */
export function signOut(): void {
  sessionStorage.removeItem(TOKENS);
  const url = new URL(`${appConfig().authDomainUrl}/logout`);
  url.searchParams.set('client_id', appConfig().userPoolClientId);
  url.searchParams.set('logout_uri', redirectUri());
  location.assign(url.toString());
}
