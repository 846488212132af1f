import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DEFAULT_UPLOAD_LIMITS, type ApiContext, type ConsoleResources, type EventLogReader, type OutboxReader, type UploadLimits } from './api-context';
import { createClients } from './aws-clients';
import { HttpError } from './http/errors';
import { guardRequest } from './http/request-guard';
import { BASE_HEADERS, sendError, sendJson } from './http/respond';
import { Router } from './http/router';
import { DynamoImageIndex } from './images/dynamo-image-index';
import { registerExecutionRoutes } from './routes/execution-routes';
import { registerEventRoutes } from './routes/event-routes';
import { registerImageRoutes } from './routes/image-routes';
import { registerPipelineRoutes } from './routes/pipeline-routes';
import { registerUploadRoutes } from './routes/upload-routes';
import { buildWebAssets, CONSOLE_DIR, type WebAsset } from './web-assets';

export type { ConsoleResources, OutboxReader, OutboxPage, UploadLimits } from './api-context';

/** How to start the console: where the services are, and which resources to use. */
export interface ConsoleServerOptions {
  /** Port to listen on; 0 picks a free one. Defaults to CONSOLE_PORT, else 3000. */
  port?: number;
  /** Always a loopback address: the console has no authentication of its own. */
  host?: '127.0.0.1' | 'localhost' | '::1';
  /** The local edge endpoint; without it the SDK uses AWS's endpoints and credential chain. */
  edgeUrl?: string;
  region?: string;
  resources: ConsoleResources;
  outbox?: OutboxReader;
  /** The local event log (issue 12); without it /api/events answers 501. */
  events?: EventLogReader;
  /** ASL file used for the graph when DescribeStateMachine is unavailable. */
  aslPath?: string;
  limits?: Partial<UploadLimits>;
}

/** A running console. */
export interface ConsoleServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the console: the built front end plus the JSON API under /api/. @throws Error when the port is taken or the front end does not build. */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const assets = await buildWebAssets();
  const clients = createClients({ edgeUrl: options.edgeUrl, region: options.region });
  const context: ApiContext = {
    clients,
    resources: options.resources,
    index: new DynamoImageIndex(clients.documents, options.resources.tableName),
    outbox: options.outbox,
    events: options.events,
    aslPath: options.aslPath ?? path.join(CONSOLE_DIR, '..', 'statemachine', 'image-pipeline.asl.json'),
    limits: { ...DEFAULT_UPLOAD_LIMITS, ...options.limits },
  };
  const router = new Router();
  registerPipelineRoutes(router, context);
  registerUploadRoutes(router, context);
  registerImageRoutes(router, context);
  registerExecutionRoutes(router, context);
  registerEventRoutes(router, context);

  const host = options.host ?? '127.0.0.1';
  let ownOrigin = '';
  const contentSecurityPolicy = htmlPolicy(options.edgeUrl);
  const server = createServer((req, res) => {
    void handle(req, res).catch((error) => {
      if (!res.headersSent) sendError(res, 500, 'InternalError', 'The console could not answer; see its log.');
      else res.destroy();
      console.error('[console]', req.method, req.url, error);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', ownOrigin);
    const verdict = guardRequest(req, ownOrigin, url.pathname.startsWith('/api/'));
    if (verdict) return sendError(res, verdict.status, verdict.code, verdict.message);
    if (url.pathname.startsWith('/api/')) return handleApi(req, res, url);
    return serveAsset(req, res, url, assets, contentSecurityPolicy);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method === 'OPTIONS') return sendError(res, 403, 'CrossOriginRefused', 'This API grants no cross-origin access.');
    const found = router.match(req.method ?? 'GET', url.pathname);
    if (!('handler' in found)) {
      return found.methodMismatch ? sendError(res, 405, 'MethodNotAllowed', `${req.method} is not allowed here.`) : sendError(res, 404, 'NotFound', `No API route ${url.pathname}.`);
    }
    try {
      const body = await found.handler({ req, res, url, params: found.params });
      if (body !== undefined && !res.headersSent) sendJson(res, res.statusCode || 200, body);
    } catch (error) {
      if (error instanceof HttpError) return sendError(res, error.status, error.code, error.message);
      throw error;
    }
  }

  const port = options.port ?? Number(process.env.CONSOLE_PORT ?? 3000);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  ownOrigin = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  return {
    url: ownOrigin,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function htmlPolicy(edgeUrl: string | undefined): string {
  // The page PUTs straight to S3 (or the edge) with presigned URLs, so that origin must be allowed to connect.
  const uploads = edgeUrl ? new URL(edgeUrl).origin : 'https://*.amazonaws.com';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ${uploads}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function serveAsset(req: IncomingMessage, res: ServerResponse, url: URL, assets: Map<string, WebAsset>, policy: string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'MethodNotAllowed', 'Only GET here.');
  const asset = assets.get(url.pathname === '/index.html' ? '/' : url.pathname);
  if (!asset) return sendError(res, 404, 'NotFound', 'No such file.');
  res.writeHead(200, {
    ...BASE_HEADERS,
    'content-type': asset.contentType,
    'content-length': String(asset.body.length),
    'cache-control': 'no-cache',
    ...(asset.contentType.startsWith('text/html') ? { 'content-security-policy': policy } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : asset.body);
}
