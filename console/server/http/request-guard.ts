import type { IncomingMessage } from 'node:http';

/** Why a request was refused, or undefined when it may proceed. */
export type GuardVerdict = { status: number; code: string; message: string } | undefined;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Refuses requests from other origins and with foreign Host headers.
 * The API sends no CORS headers at all, so a browser on another origin can't read answers; checking
 * Origin and Sec-Fetch-Site also stops it from causing side effects (uploads, re-runs) with simple requests,
 * and checking Host stops DNS rebinding from turning a foreign page into a same-origin one.
 */
export function guardRequest(req: IncomingMessage, ownOrigin: string, isApi = true): GuardVerdict {
  const own = new URL(ownOrigin);
  const host = req.headers.host;
  if (typeof host === 'string') {
    const hostName = host.replace(/:\d+$/, '');
    const port = /:(\d+)$/.exec(host)?.[1] ?? '80';
    if (!LOOPBACK_HOSTS.has(hostName) || port !== own.port) {
      return { status: 421, code: 'MisdirectedRequest', message: 'This console answers only on its own loopback address.' };
    }
  }
  const origin = req.headers.origin;
  if (typeof origin === 'string' && origin !== '' && !isSameOrigin(origin, own)) {
    return { status: 403, code: 'CrossOriginRefused', message: 'Requests from other origins are refused.' };
  }
  // Fetch metadata only for the API: following a link to the console from another local tool must still open the page.
  const site = req.headers['sec-fetch-site'];
  if (isApi && (site === 'cross-site' || site === 'same-site')) {
    return { status: 403, code: 'CrossOriginRefused', message: 'Requests from other sites are refused.' };
  }
  return undefined;
}

function isSameOrigin(origin: string, own: URL): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  return parsed.protocol === own.protocol && parsed.port === own.port && LOOPBACK_HOSTS.has(parsed.hostname);
}
