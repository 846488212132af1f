import type { ApiContext } from '../api-context';
import { HttpError, badRequest } from '../http/errors';
import { QueryReader } from '../http/query-params';
import type { Router } from '../http/router';

/** The events the pipeline published, as the local EventBridge kept them (a local-only page: AWS has no such log). */
export function registerEventRoutes(router: Router, context: ApiContext): void {
  router.on('GET', '/api/events', async ({ url }) => {
    const reader = new QueryReader(url.searchParams, ['limit', 'cursor']);
    const limit = reader.integer('limit', 1, 100, 20);
    const cursor = reader.string('cursor', 20);
    if (cursor !== undefined && !/^\d+$/.test(cursor)) throw badRequest('"cursor" is not a valid page token.');
    if (!context.events) throw new HttpError(501, 'EventsUnavailable', 'This deployment keeps no event log; add a rule on the bus (e.g. to CloudWatch Logs) to see its events.');
    const page = await context.events.listEvents({ limit, cursor });
    return { items: page.items, nextCursor: page.nextCursor ?? null };
  });
}
