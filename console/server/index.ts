import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { guardRequest } from './http/request-guard';
import { BASE_HEADERS, sendError, sendJson } from './http/respond';
import { handleLocalRoute, type EventLogReader, type OutboxReader } from './local-outbox';
import { buildWebAssets, type WebAsset } from './web-assets';
import { listen } from '../../local/edge/listen';

export type { EventLogReader, OutboxReader, OutboxPage } from './local-outbox';

/** What the front end reads from /config.json: where the API and the sign-in are (the cloud's comes from WebDeployment). */
export interface WebAppConfig {
  apiUrl: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  authDomainUrl: string;
}

/** How to start the console's local server. */
export interface ConsoleServerOptions {
  /** Port to listen on; 0 picks a free one. Defaults to CONSOLE_PORT, else 3000. */
  port?: number;
  /** Always a loopback address: the server is for local mode only. */
  host?: '127.0.0.1' | 'localhost' | '::1';
  /** The web app's API and user pool, written into /config.json. */
  webApp: WebAppConfig;
  /** The local edge endpoint: uploads (presigned POSTs) and variant images (presigned GETs) come from it. */
  edgeUrl: string;
  outbox?: OutboxReader;
  /** The local EventBridge's log of published events (issue 12); without it /local/events answers 501. */
  events?: EventLogReader;
}

/** A running console. */
export interface ConsoleServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts local mode's web server: the same built front end that CloudFront serves in AWS (an extension-less path is
 * a page of the app, as the distribution's routing function makes it), its /config.json pointing at the local API
 * and user pool, and the local-only outbox and event log under /local/.
 * @throws Error when the port is taken or the front end does not build.
 */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const assets = await buildWebAssets();
  const host = options.host ?? '127.0.0.1';
  let ownOrigin = '';
  const contentSecurityPolicy = htmlPolicy(options);
  // Exactly what the cloud's config.json holds (WebDeployment), plus local mode's extras; nothing else of the stack.
  const { apiUrl, region, userPoolId, userPoolClientId, authDomainUrl } = options.webApp;
  const config = {
    apiUrl,
    region,
    userPoolId,
    userPoolClientId,
    authDomainUrl,
    local: { outbox: Boolean(options.outbox), events: Boolean(options.events) },
  };
  const server = createServer((req, res) => {
    void handle(req, res).catch((error) => {
      if (!res.headersSent) sendError(res, 500, 'InternalError', 'The console could not answer; see its log.');
      else res.destroy();
      console.error('[console]', req.method, req.url, error);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', ownOrigin);
    const isData = url.pathname === '/config.json' || url.pathname.startsWith('/local/');
    const verdict = guardRequest(req, ownOrigin, isData);
    if (verdict) return sendError(res, verdict.status, verdict.code, verdict.message);
    if (url.pathname === '/config.json') return sendJson(res, 200, config);
    if (await handleLocalRoute(req, res, url, options.outbox, options.events)) return;
    return serveAsset(req, res, url, assets, contentSecurityPolicy);
  }

  const port = options.port ?? Number(process.env.CONSOLE_PORT ?? 3000);
  const listening = await listen(server, port, host);
  ownOrigin = listening.url;
  return listening;
}

/** The page's policy: the app's own scripts only; it talks to the API, the user pool and the edge (uploads, images). */
function htmlPolicy(options: ConsoleServerOptions): string {
  const origin = (url: string) => new URL(url).origin;
  const connect = [...new Set([origin(options.webApp.apiUrl), origin(options.webApp.authDomainUrl), origin(options.edgeUrl)])].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob: ${origin(options.edgeUrl)}`,
    // A video's rendition plays from a presigned GET of the processed bucket, as images load; the HLS player feeds
    // segments it fetched (connect-src) into a MediaSource, whose object URL is a blob:.
    `media-src blob: ${origin(options.edgeUrl)}`,
    `connect-src 'self' ${connect}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

function serveAsset(req: IncomingMessage, res: ServerResponse, url: URL, assets: Map<string, WebAsset>, policy: string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'MethodNotAllowed', 'Only GET here.');
  const isPage = url.pathname === '/index.html' || !/\.[A-Za-z0-9]+$/.test(url.pathname);
  const asset = assets.get(isPage ? '/' : url.pathname);
  if (!asset) return sendError(res, 404, 'NotFound', 'No such file.');
  res.writeHead(200, {
    ...BASE_HEADERS,
    'content-type': asset.contentType,
    'content-length': String(asset.body.length),
    'cache-control': url.pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...(asset.contentType.startsWith('text/html') ? { 'content-security-policy': policy } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : asset.body);
}
