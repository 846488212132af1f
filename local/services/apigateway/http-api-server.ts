import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { LocalHttpApi } from '../../template/types';
import { buildApiGatewayEvent, responseFromResult, type MatchedRoute } from './api-gateway-event';
import { listen } from '../../edge/listen';

/** Checks a bearer token as the API's JWT authorizer does (the API function's own verifier module). */
export interface JwtAuthorizer {
  /** @throws an error with `reason` (or a message) when the token is refused. */
  verifyClaims(token: string): Promise<Record<string, unknown>>;
}

/** How one of the template's HTTP APIs is served locally. */
export interface HttpApiServerOptions {
  api: LocalHttpApi;
  /** Port; 0 picks a free one. */
  port: number;
  host?: string;
  accountId: string;
  /** Invokes a template function synchronously, through the local Lambda runtime. */
  invoke(functionLogicalId: string, event: unknown): Promise<unknown>;
  /** The API's default JWT authorizer; absent when the template gives it none. */
  authorizer?: JwtAuthorizer;
  /** The web app's origins: they replace the template's CORS AllowOrigins (the CloudFront URL, which is not local). */
  allowedOrigins: readonly string[];
  /** Told about every integration failure (the caller sees API Gateway's 500). */
  onIntegrationError?(routeKey: string, error: unknown): void;
}

/** A running local HTTP API. */
export interface HttpApiServer {
  url: string;
  close(): Promise<void>;
}

interface CompiledRoute {
  routeKey: string;
  method: string;
  pattern: RegExp;
  names: string[];
  functionLogicalId: string;
  authorized: boolean;
}

/** Compiles `METHOD /path/{param}/{proxy+}` route keys; `ANY` matches every method. */
function compile(api: LocalHttpApi): CompiledRoute[] {
  return api.routes.map((route) => {
    const [method, path] = route.routeKey.split(' ');
    const names: string[] = [];
    const source = path
      .split('/')
      .map((segment) => {
        const param = /^\{(\w+)(\+?)\}$/.exec(segment);
        if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(param[1]);
        return param[2] ? '(.+)' : '([^/]+)';
      })
      .join('/');
    return {
      routeKey: route.routeKey,
      method,
      pattern: new RegExp(`^${source}$`),
      names,
      functionLogicalId: route.functionLogicalId,
      authorized: route.authorized,
    };
  });
}

function findRoute(routes: CompiledRoute[], method: string, path: string): { route: CompiledRoute; match: MatchedRoute } | undefined {
  // API Gateway prefers the most specific route; an exact method before ANY is the part this template needs.
  const candidates = routes.filter((route) => route.method === method).concat(routes.filter((route) => route.method === 'ANY'));
  for (const route of candidates) {
    const found = route.pattern.exec(path);
    if (!found) continue;
    const pathParameters = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(found[i + 1])]));
    return { route, match: { routeKey: route.routeKey, pathParameters } };
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // API Gateway's payload limit.
    if (size > 10 * 1024 * 1024) throw Object.assign(new Error('Request Entity Too Large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, body: Buffer | string = ''): void {
  res.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

/**
 * Serves one of the template's HTTP APIs the way API Gateway does for a Lambda proxy integration (payload 2.0):
 * routes by route key, answers CORS preflights itself and adds CORS headers for allowed origins (ignoring the
 * function's own), runs the JWT authorizer before the function (401 `{"message":"Unauthorized"}`), builds the
 * event, invokes the function through the local Lambda runtime, and turns its result into the HTTP answer.
 */
export async function startHttpApiServer(options: HttpApiServerOptions): Promise<HttpApiServer> {
  const routes = compile(options.api);
  const cors = options.api.cors;

  function corsHeaders(origin: string | undefined): Record<string, string> {
    if (!cors || !origin || !options.allowedOrigins.includes(origin)) return {};
    return {
      'access-control-allow-origin': origin,
      vary: 'Origin',
      ...(cors.exposeHeaders.length ? { 'access-control-expose-headers': cors.exposeHeaders.join(',') } : {}),
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const path = url.split('?')[0];
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    const allowOrigin = corsHeaders(origin);
    if (method === 'OPTIONS' && cors && req.headers['access-control-request-method']) {
      return send(res, 204, {
        ...allowOrigin,
        ...(allowOrigin['access-control-allow-origin']
          ? {
              'access-control-allow-methods': cors.allowMethods.join(','),
              'access-control-allow-headers': cors.allowHeaders.join(','),
              ...(cors.maxAge !== undefined ? { 'access-control-max-age': String(cors.maxAge) } : {}),
            }
          : {}),
      });
    }
    const found = findRoute(routes, method, path);
    if (!found) return send(res, 404, { 'content-type': 'application/json', ...allowOrigin }, '{"message":"Not Found"}');
    let claims: Record<string, unknown> | undefined;
    if (found.route.authorized && options.authorizer) {
      const header = req.headers.authorization;
      const token = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1] : undefined;
      if (!token)
        return send(
          res,
          401,
          { 'content-type': 'application/json', 'www-authenticate': 'Bearer', ...allowOrigin },
          '{"message":"Unauthorized"}',
        );
      try {
        claims = await options.authorizer.verifyClaims(token);
      } catch (error) {
        const reason = ((error as { reason?: string }).reason ?? (error as Error).message).replace(/"/g, "'");
        return send(
          res,
          401,
          {
            'content-type': 'application/json',
            'www-authenticate': `Bearer scope="" error="invalid_token" error_description="${reason}"`,
            ...allowOrigin,
          },
          '{"message":"Unauthorized"}',
        );
      }
    }
    const body = await readBody(req);
    const event = buildApiGatewayEvent(
      { method, url, headers: req.headers, body, sourceIp: req.socket.remoteAddress ?? '127.0.0.1' },
      found.match,
      { apiId: options.api.id, accountId: options.accountId, claims },
    );
    let result: unknown;
    try {
      result = await options.invoke(found.route.functionLogicalId, event);
    } catch (error) {
      options.onIntegrationError?.(found.route.routeKey, error);
      return send(res, 500, { 'content-type': 'application/json', ...allowOrigin }, '{"message":"Internal Server Error"}');
    }
    const answer = responseFromResult(result);
    // With CORS configured, API Gateway ignores the integration's own CORS headers.
    const own = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !name.startsWith('access-control-')));
    return send(
      res,
      answer.status,
      { ...own, ...(answer.cookies.length ? { 'set-cookie': answer.cookies } : {}), ...allowOrigin },
      answer.body,
    );
  }

  const server = createServer((req, res) => {
    void handle(req, res).catch((error) => {
      if (res.headersSent) return res.destroy();
      const status = (error as { status?: number }).status ?? 500;
      send(
        res,
        status,
        { 'content-type': 'application/json' },
        JSON.stringify({ message: status === 413 ? 'Request Entity Too Large' : 'Internal Server Error' }),
      );
    });
  });
  return listen(server, options.port, options.host ?? '127.0.0.1');
}
