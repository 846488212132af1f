import type { IncomingMessage, ServerResponse } from 'node:http';
import { KeysUnavailableError, TokenRejectedError, type TokenVerifier } from '../../functions/api/src/auth/token-verifier';
import { sendError, sendJson } from './http/respond';
import { eventIsFor, localCaller, outboxItemIsFor, type LocalCaller, type UserDirectory } from './local-access';

/** One page of the notification outbox, newest first. */
export interface OutboxPage {
  items: unknown[];
  nextCursor?: string | null;
}

/** The sent notifications and e-mails; a local-mode concept (in AWS they leave through SNS/SES). */
export interface OutboxReader {
  listOutbox(options: { limit: number; cursor?: string; filter?: (item: unknown) => boolean }): Promise<OutboxPage>;
  readOutboxItem(id: string): Promise<unknown>;
}

/** The events the pipeline published, as the local EventBridge kept them (AWS has no such log). */
export interface EventLogReader {
  listEvents(options: {
    limit: number;
    cursor?: string;
    filter?: (event: unknown) => boolean;
  }): Promise<{ items: unknown[]; nextCursor?: string }>;
}

/** How the local routes tell who is calling: the API's token verifier, and the user pool for a user's address. */
export interface LocalAccess {
  verifier: TokenVerifier;
  users?: UserDirectory;
}

const ITEM_PATH = /^\/local\/outbox\/([A-Za-z0-9_.:-]{1,200})$/;

/** Reads `limit` and `cursor`, refusing anything else, as the API's listings do. */
function pageQuery(url: URL): { limit: number; cursor?: string } | string {
  for (const name of url.searchParams.keys())
    if (name !== 'limit' && name !== 'cursor') return `Unknown query parameter "${name}"; allowed: limit, cursor.`;
  const rawLimit = url.searchParams.get('limit') ?? '20';
  const limit = /^\d{1,3}$/.test(rawLimit) ? Number(rawLimit) : Number.NaN;
  if (!(limit >= 1 && limit <= 100)) return '"limit" must be a whole number between 1 and 100.';
  const cursor = url.searchParams.get('cursor') ?? undefined;
  if (cursor !== undefined && cursor.length > 4096) return '"cursor" must be at most 4096 characters.';
  return { limit, cursor };
}

/** The caller, or undefined after answering 401 (no or a bad token) or 503 (the user pool's keys unreadable). */
async function callerOrAnswer(req: IncomingMessage, res: ServerResponse, access: LocalAccess): Promise<LocalCaller | undefined> {
  try {
    return await localCaller(req, access.verifier, access.users);
  } catch (error) {
    if (error instanceof TokenRejectedError) sendError(res, 401, 'Unauthorized', error.reason);
    else if (error instanceof KeysUnavailableError) sendError(res, 503, 'KeysUnavailable', 'The user pool keys could not be read.');
    else throw error;
    return undefined;
  }
}

/**
 * Local mode's extra JSON routes, beside the front end: the notification outbox (`GET /local/outbox`,
 * `GET /local/outbox/<id>`) and the event log (`GET /local/events`), which AWS does not have. Each needs the
 * caller's access token: a user gets the messages sent to them and the events of their own images, an admin
 * everyone's; another user's outbox item is a 404. Answers false when the path is not one of them.
 */
export async function handleLocalRoute(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  access: LocalAccess,
  outbox: OutboxReader | undefined,
  events?: EventLogReader,
): Promise<boolean> {
  if (!url.pathname.startsWith('/local/')) return false;
  if (url.pathname === '/local/events') return handleEvents(req, res, url, access, events);
  if (url.pathname !== '/local/outbox' && !ITEM_PATH.test(url.pathname)) {
    sendError(
      res,
      url.pathname.startsWith('/local/outbox/') ? 400 : 404,
      url.pathname.startsWith('/local/outbox/') ? 'BadRequest' : 'NotFound',
      url.pathname.startsWith('/local/outbox/') ? 'Bad outbox id.' : `No route ${url.pathname}.`,
    );
    return true;
  }
  if (req.method !== 'GET') {
    sendError(res, 405, 'MethodNotAllowed', 'Only GET here.');
    return true;
  }
  if (!outbox) {
    sendError(res, 501, 'OutboxUnavailable', 'This console has no outbox.');
    return true;
  }
  const caller = await callerOrAnswer(req, res, access);
  if (!caller) return true;
  const item = ITEM_PATH.exec(url.pathname)?.[1];
  if (item !== undefined) {
    if ([...url.searchParams.keys()].length > 0) {
      sendError(res, 400, 'BadRequest', 'This request takes no query parameters.');
      return true;
    }
    const found = await outbox.readOutboxItem(item).catch(() => undefined);
    // Another user's message answers as a missing one: its id says nothing about whether it exists.
    if (found === undefined || found === null || !outboxItemIsFor(found, caller))
      sendError(res, 404, 'NotFound', `No outbox item ${item}.`);
    else sendJson(res, 200, { item: found });
    return true;
  }
  const query = pageQuery(url);
  if (typeof query === 'string') {
    sendError(res, 400, 'BadRequest', query);
    return true;
  }
  try {
    const page = await outbox.listOutbox({ ...query, filter: (entry: unknown) => outboxItemIsFor(entry, caller) });
    sendJson(res, 200, { items: page.items, nextCursor: page.nextCursor ?? null });
  } catch (error) {
    if (!query.cursor) throw error;
    sendError(res, 400, 'BadRequest', `"cursor" is not a valid page token (${(error as Error).message}).`);
  }
  return true;
}

/** `GET /local/events`: one page of the local event log, newest first. */
async function handleEvents(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  access: LocalAccess,
  events: EventLogReader | undefined,
): Promise<true> {
  if (req.method !== 'GET') {
    sendError(res, 405, 'MethodNotAllowed', 'Only GET here.');
    return true;
  }
  if (!events) {
    sendError(
      res,
      501,
      'EventsUnavailable',
      'This console keeps no event log; in AWS add a rule on the bus (e.g. to CloudWatch Logs) to see its events.',
    );
    return true;
  }
  const caller = await callerOrAnswer(req, res, access);
  if (!caller) return true;
  const query = pageQuery(url);
  if (typeof query === 'string' || (query.cursor !== undefined && !/^\d{1,20}$/.test(query.cursor))) {
    sendError(res, 400, 'BadRequest', typeof query === 'string' ? query : '"cursor" is not a valid page token.');
    return true;
  }
  const page = await events.listEvents({ ...query, filter: (event: unknown) => eventIsFor(event, caller) });
  sendJson(res, 200, { items: page.items, nextCursor: page.nextCursor ?? null });
  return true;
}
