import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { loginPage, loginPagePolicy } from './login-page';
import { UserPoolError, type LocalUserPoolService } from './user-pool';
import type { LocalUser } from './user-store';
import { listen } from '../../edge/listen';

/** How the local user pools' HTTP side is served. */
export interface UserPoolServerOptions {
  pools: readonly LocalUserPoolService[];
  /** Port; 0 picks a free one. */
  port: number;
  host?: string;
  /**
   * The web app's origins: redirect and logout URIs on them are accepted (as the app client's callback URLs are in
   * AWS) and the token endpoint answers CORS for them. Read on every request, so an origin known later can join.
   */
  allowedOrigins: readonly string[];
  /** Signs this user in without a prompt until the browser signs out, so local mode opens straight into the app. */
  autoSignIn?: (pool: LocalUserPoolService) => LocalUser | undefined;
}

/** A running user-pool server. */
export interface UserPoolServer {
  url: string;
  close(): Promise<void>;
}

const SESSION_COOKIE = 'sip_local_idp_session';
const SIGNED_OUT_COOKIE = 'sip_local_idp_signed_out';

const AUTHORIZE_PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'state',
  'scope',
  'code_challenge',
  'code_challenge_method',
  'nonce',
];

function send(res: ServerResponse, status: number, body: string, headers: OutgoingHttpHeaders = {}): void {
  res.writeHead(status, {
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    ...headers,
  });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, JSON.stringify(body), { 'content-type': 'application/json; charset=utf-8', ...headers });
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 65536) throw new UserPoolError('invalid_request', 'The body is too large.');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function cookies(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    (req.headers.cookie ?? '')
      .split(';')
      .map((part) => part.trim().split('='))
      .filter(([name, value]) => name && value !== undefined)
      .map(([name, value]) => [name, decodeURIComponent(value)]),
  );
}

/**
 * Serves what Cognito serves over HTTP for each local pool, under `/<pool id>`: the issuer's
 * `/.well-known/jwks.json` and `/.well-known/openid-configuration`, and the hosted sign-in of its domain:
 * `/oauth2/authorize` (authorization code with PKCE S256), `/login`, `/oauth2/token` (authorization_code and
 * refresh_token grants), `/oauth2/revoke` and `/logout`.
 */
export async function startUserPoolServer(options: UserPoolServerOptions): Promise<UserPoolServer> {
  const sessions = new Map<string, { poolId: string; username: string }>();
  const challenges = new Map<string, { poolId: string; username: string; expiresAt: number }>();
  let ownOrigin = '';
  /**
   * The sign-in page's headers. Its referrer policy is same-origin: with no-referrer, a browser sends `Origin: null`
   * with the form's POST, and the form would be refused as posted from elsewhere.
   */
  const loginPageHeaders = () => ({
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': loginPagePolicy(options.allowedOrigins),
    'referrer-policy': 'same-origin',
  });

  const originAllowed = (uri: string) => {
    try {
      return options.allowedOrigins.includes(new URL(uri).origin);
    } catch {
      return false;
    }
  };
  const redirectAllowed = (pool: LocalUserPoolService, clientId: string, uri: string, kind: 'callback' | 'logout') => {
    const client = pool.client(clientId);
    return (kind === 'callback' ? client.callbackUrls : client.logoutUrls).includes(uri) || originAllowed(uri);
  };

  function authorizeError(res: ServerResponse, message: string): void {
    // An unchecked redirect_uri is never followed: the error is shown here instead, as Cognito does.
    send(res, 400, `Sign-in request refused: ${message}\n`, { 'content-type': 'text/plain; charset=utf-8' });
  }

  /** Checks an authorization request; returns its parameters or answers the error itself. */
  function checkAuthorize(pool: LocalUserPoolService, params: URLSearchParams, res: ServerResponse): Record<string, string> | undefined {
    const request = Object.fromEntries(AUTHORIZE_PARAMS.map((name) => [name, params.get(name) ?? '']));
    try {
      pool.client(request.client_id);
    } catch {
      authorizeError(res, `unknown client_id "${request.client_id}".`);
      return undefined;
    }
    if (!redirectAllowed(pool, request.client_id, request.redirect_uri, 'callback'))
      return (authorizeError(res, 'redirect_uri is not a callback URL of this client.'), undefined);
    if (request.response_type !== 'code') return (authorizeError(res, 'only response_type=code is supported.'), undefined);
    if (request.code_challenge_method !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(request.code_challenge))
      return (authorizeError(res, 'a PKCE code_challenge with code_challenge_method=S256 is required.'), undefined);
    return request;
  }

  function finishSignIn(pool: LocalUserPoolService, user: LocalUser, request: Record<string, string>, res: ServerResponse): void {
    const code = pool.issueCode(user, {
      clientId: request.client_id,
      redirectUri: request.redirect_uri,
      codeChallenge: request.code_challenge,
      nonce: request.nonce || undefined,
      scope: request.scope || 'openid email profile',
    });
    const session = randomBytes(24).toString('base64url');
    sessions.set(session, { poolId: pool.id, username: user.username });
    const target = new URL(request.redirect_uri);
    target.searchParams.set('code', code);
    if (request.state) target.searchParams.set('state', request.state);
    send(res, 302, '', {
      location: target.toString(),
      'set-cookie': [
        `${SESSION_COOKIE}=${session}; Path=/${pool.id}; HttpOnly; SameSite=Lax`,
        `${SIGNED_OUT_COOKIE}=; Path=/${pool.id}; Max-Age=0`,
      ],
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', ownOrigin);
    const [, poolId, ...rest] = url.pathname.split('/');
    const pool = options.pools.find((entry) => entry.id === poolId);
    if (!pool) return sendJson(res, 404, { message: 'No such user pool.' });
    const route = `${req.method} /${rest.join('/')}`;
    const browserCookies = cookies(req);

    switch (route) {
      case 'GET /.well-known/jwks.json':
        return sendJson(res, 200, pool.jwks(), { 'cache-control': 'max-age=300' });
      case 'GET /.well-known/openid-configuration':
        return sendJson(res, 200, {
          issuer: pool.issuer,
          jwks_uri: `${pool.issuer}/.well-known/jwks.json`,
          authorization_endpoint: `${pool.issuer}/oauth2/authorize`,
          token_endpoint: `${pool.issuer}/oauth2/token`,
          revocation_endpoint: `${pool.issuer}/oauth2/revoke`,
          end_session_endpoint: `${pool.issuer}/logout`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
          grant_types_supported: ['authorization_code', 'refresh_token'],
          id_token_signing_alg_values_supported: ['RS256'],
          subject_types_supported: ['public'],
          scopes_supported: ['openid', 'email', 'profile'],
        });
      case 'GET /oauth2/authorize': {
        const request = checkAuthorize(pool, url.searchParams, res);
        if (!request) return;
        const session = sessions.get(browserCookies[SESSION_COOKIE] ?? '');
        const sessionUser = session?.poolId === pool.id ? pool.users.find(session.username) : undefined;
        const automatic = browserCookies[SIGNED_OUT_COOKIE] ? undefined : options.autoSignIn?.(pool);
        const user = sessionUser ?? automatic;
        if (user?.enabled && user.status === 'CONFIRMED') return finishSignIn(pool, user, request, res);
        const login = new URL(`/${pool.id}/login`, ownOrigin);
        for (const [name, value] of Object.entries(request)) if (value) login.searchParams.set(name, value);
        return send(res, 302, '', { location: login.toString() });
      }
      case 'GET /login': {
        const request = checkAuthorize(pool, url.searchParams, res);
        if (!request) return;
        return send(res, 200, loginPage({ action: `/${pool.id}/login`, params: request }), loginPageHeaders());
      }
      case 'POST /login': {
        if (req.headers.origin && req.headers.origin !== ownOrigin)
          return send(res, 403, 'Sign-in forms post only from this page.\n', { 'content-type': 'text/plain' });
        const form = await formBody(req);
        const request = checkAuthorize(pool, form, res);
        if (!request) return;
        const page = (error: string, extra: { email?: string; challenge?: string } = {}) =>
          send(res, 200, loginPage({ action: `/${pool.id}/login`, params: request, error, ...extra }), loginPageHeaders());
        const challengeId = form.get('challenge');
        if (challengeId) {
          const challenge = challenges.get(challengeId);
          challenges.delete(challengeId);
          if (!challenge || challenge.poolId !== pool.id || challenge.expiresAt < Date.now())
            return page('The sign-in took too long; sign in again.');
          try {
            const user = await pool.setPassword(challenge.username, form.get('new_password') ?? '', true);
            return finishSignIn(pool, user, request, res);
          } catch (error) {
            const next = randomBytes(24).toString('base64url');
            challenges.set(next, { ...challenge, expiresAt: Date.now() + 5 * 60_000 });
            return page((error as Error).message, { email: pool.user(challenge.username).email, challenge: next });
          }
        }
        const email = form.get('username') ?? '';
        let user: LocalUser;
        try {
          user = pool.authenticate(email, form.get('password') ?? '');
        } catch (error) {
          return page((error as Error).message, { email });
        }
        if (user.status === 'FORCE_CHANGE_PASSWORD') {
          const challenge = randomBytes(24).toString('base64url');
          challenges.set(challenge, { poolId: pool.id, username: user.username, expiresAt: Date.now() + 5 * 60_000 });
          return page('Your password is temporary: choose a new one.', { email: user.email, challenge });
        }
        return finishSignIn(pool, user, request, res);
      }
      case 'POST /oauth2/token':
      case 'POST /oauth2/revoke': {
        const origin = req.headers.origin;
        const cors: Record<string, string> =
          typeof origin === 'string' && options.allowedOrigins.includes(origin)
            ? { 'access-control-allow-origin': origin, vary: 'Origin' }
            : {};
        if (typeof origin === 'string' && !cors['access-control-allow-origin'])
          return sendJson(res, 403, { error: 'invalid_request', error_description: `Origin ${origin} is not allowed.` });
        const form = await formBody(req);
        try {
          if (route === 'POST /oauth2/revoke') {
            pool.revoke(form.get('token') ?? '');
            return sendJson(res, 200, {}, cors);
          }
          const grant = form.get('grant_type');
          const clientId = form.get('client_id') ?? '';
          if (grant === 'authorization_code')
            return sendJson(
              res,
              200,
              pool.exchangeCode(form.get('code') ?? '', clientId, form.get('redirect_uri') ?? '', form.get('code_verifier') ?? ''),
              cors,
            );
          if (grant === 'refresh_token') return sendJson(res, 200, pool.refresh(form.get('refresh_token') ?? '', clientId), cors);
          return sendJson(res, 400, { error: 'unsupported_grant_type' }, cors);
        } catch (error) {
          const code = error instanceof UserPoolError && error.code === 'invalid_grant' ? 'invalid_grant' : 'invalid_client';
          return sendJson(res, 400, { error: code, error_description: (error as Error).message }, cors);
        }
      }
      case 'GET /logout': {
        const clientId = url.searchParams.get('client_id') ?? '';
        const logoutUri = url.searchParams.get('logout_uri') ?? '';
        try {
          if (!redirectAllowed(pool, clientId, logoutUri, 'logout'))
            return authorizeError(res, 'logout_uri is not a sign-out URL of this client.');
        } catch {
          return authorizeError(res, `unknown client_id "${clientId}".`);
        }
        sessions.delete(browserCookies[SESSION_COOKIE] ?? '');
        // Signing out also stops the automatic sign-in, so another user can sign in next.
        return send(res, 302, '', {
          location: logoutUri,
          'set-cookie': [
            `${SESSION_COOKIE}=; Path=/${pool.id}; Max-Age=0`,
            `${SIGNED_OUT_COOKIE}=1; Path=/${pool.id}; HttpOnly; SameSite=Lax`,
          ],
        });
      }
      default:
        return sendJson(res, 404, { message: `No route ${route} on the user pool.` });
    }
  }

  const server = createServer((req, res) => {
    void handle(req, res).catch((error) => {
      if (!res.headersSent) sendJson(res, 500, { message: (error as Error).message });
      else res.destroy();
    });
  });
  const listening = await listen(server, options.port, options.host ?? '127.0.0.1');
  ownOrigin = listening.url;
  for (const pool of options.pools) pool.setIssuer(`${ownOrigin}/${pool.id}`);
  return listening;
}
