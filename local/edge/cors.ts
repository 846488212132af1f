import type { IncomingHttpHeaders } from 'node:http';

/** What the edge does with a request's Origin header. */
export type CorsDecision =
  { kind: 'no-origin' } | { kind: 'allowed'; headers: Record<string, string> } | { kind: 'refused'; origin: string };

/** Headers a browser may read from answers; the console needs ETag and the version id after a presigned PUT. */
const EXPOSED =
  'ETag, x-amz-version-id, x-amz-request-id, x-amz-checksum-crc32, x-amz-checksum-crc32c, x-amz-checksum-sha256, Content-Range, Content-Length';

/**
 * Decides whether a browser origin may call the edge. Requests without an Origin (SDK, CLI) pass, except
 * browser no-cors loads (<img>, <script>) that another site triggers: those carry only Sec-Fetch-Site.
 */
export function decideCors(headers: IncomingHttpHeaders, allowedOrigins: readonly string[]): CorsDecision {
  const origin = headers.origin;
  if (typeof origin !== 'string' || origin === '') {
    return headers['sec-fetch-site'] === 'cross-site' ? { kind: 'refused', origin: '(a cross-site page)' } : { kind: 'no-origin' };
  }
  if (!allowedOrigins.includes(origin)) return { kind: 'refused', origin };
  return {
    kind: 'allowed',
    headers: { 'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSED, vary: 'Origin' },
  };
}

/** Headers answering a preflight from an allowed origin (presigned PUT from the console needs PUT and Content-Type). */
export function preflightHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const requested = headers['access-control-request-headers'];
  return {
    'access-control-allow-methods': 'GET, PUT, POST, DELETE, HEAD',
    'access-control-allow-headers': typeof requested === 'string' && requested ? requested : '*',
    'access-control-max-age': '600',
  };
}

/** The browser origins of a console on the given port (both loopback spellings). */
export function consoleOrigins(consolePort: number): string[] {
  return [`http://127.0.0.1:${consolePort}`, `http://localhost:${consolePort}`];
}
