import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The parts of an HTTP request that an API Gateway payload 2.0 event carries. */
export interface IncomingApiRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  sourceIp: string;
}

/** A matched route: its key and the path parameters it captured. */
export interface MatchedRoute {
  routeKey: string;
  pathParameters: Record<string, string>;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's `requestContext.time`: `12/Mar/2020:19:03:58 +0000`. */
function gatewayTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/** A JWT claim as API Gateway hands it to the function: every value a string, a list as `[a b]`. */
function claimText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.join(' ')}]`;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** True for bodies API Gateway passes as text; anything else it base64-encodes. */
function isTextual(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return (
    type === '' ||
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/x-www-form-urlencoded' ||
    type === 'application/xml'
  );
}

/**
 * Builds the event API Gateway's HTTP API sends a Lambda integration (payload format 2.0): lower-case headers with
 * repeated ones joined by commas, cookies apart, the raw query string plus `queryStringParameters` (repeated names
 * joined by commas), path parameters, the JWT authorizer's claims, and the body as text or base64.
 */
export function buildApiGatewayEvent(
  request: IncomingApiRequest,
  route: MatchedRoute,
  options: { apiId: string; accountId: string; claims?: Record<string, unknown>; now?: Date },
) {
  const now = options.now ?? new Date();
  const [rawPath, rawQueryString = ''] = request.url.split(/\?(.*)/s);
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') {
      cookies = String(value)
        .split(';')
        .map((part) => part.trim())
        .filter(Boolean);
      continue;
    }
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query = new URLSearchParams(rawQueryString);
  const queryStringParameters: Record<string, string> = {};
  for (const [name, value] of query)
    queryStringParameters[name] = name in queryStringParameters ? `${queryStringParameters[name]},${value}` : value;
  const text = isTextual(headers['content-type']);
  const host = headers.host ?? 'localhost';
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(Object.keys(queryStringParameters).length ? { queryStringParameters } : {}),
    requestContext: {
      accountId: options.accountId,
      apiId: options.apiId,
      ...(options.claims
        ? {
            authorizer: {
              jwt: {
                claims: Object.fromEntries(Object.entries(options.claims).map(([name, value]) => [name, claimText(value)])),
                scopes: null,
              },
            },
          }
        : {}),
      domainName: host,
      domainPrefix: host.split('.')[0],
      http: {
        method: request.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: gatewayTime(now),
      timeEpoch: now.getTime(),
    },
    ...(Object.keys(route.pathParameters).length ? { pathParameters: route.pathParameters } : {}),
    ...(request.body.length > 0 ? { body: text ? request.body.toString('utf8') : request.body.toString('base64') } : {}),
    isBase64Encoded: request.body.length > 0 && !text,
  };
}

/** What a payload 2.0 integration answered, as API Gateway turns it into an HTTP response. */
export function responseFromResult(result: unknown): { status: number; headers: Record<string, string>; cookies: string[]; body: Buffer } {
  const structured = result !== null && typeof result === 'object' && 'statusCode' in result;
  if (!structured) {
    // API Gateway's inference for payload 2.0: anything without statusCode is a 200 JSON body.
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      cookies: [],
      body: Buffer.from(typeof result === 'string' ? result : JSON.stringify(result ?? null)),
    };
  }
  const answer = result as {
    statusCode: number;
    headers?: Record<string, unknown>;
    cookies?: unknown[];
    body?: unknown;
    isBase64Encoded?: boolean;
  };
  const body =
    typeof answer.body === 'string'
      ? answer.isBase64Encoded
        ? Buffer.from(answer.body, 'base64')
        : Buffer.from(answer.body)
      : Buffer.alloc(0);
  return {
    status: Number(answer.statusCode),
    headers: Object.fromEntries(Object.entries(answer.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)])),
    cookies: (answer.cookies ?? []).map(String),
    body,
  };
}
