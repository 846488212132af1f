import { AnalyticsInputError, analyticsScope, summariseFacts, EVENT_OWNER_PATTERN } from '@smart-image-pipeline/contracts';
import type { ApiDeps } from '../api-deps';
import { badRequest, forbidden } from '../http/http-error';
import { QueryReader } from '../http/query-reader';
import { ok } from '../http/responses';
import type { Router } from '../http/router';

/**
 * GET /analytics: the Analytics page's numbers for a window (`days`, or `from`/`to` dates), from the facts through the
 * shared query layer. A user sees their own facts; an admin sees every owner's, or one owner's with `owner`; `version`
 * keeps one pipeline version's facts.
 */
export function registerAnalyticsRoutes(router: Router, deps: ApiDeps): void {
  router.on('GET', '/analytics', async ({ request, caller }) => {
    const query = new QueryReader(request.query, ['days', 'from', 'to', 'owner', 'version']);
    const days = request.query.has('days') ? query.integer('days', 1, 366, 7) : undefined;
    const owner = query.string('owner', 40);
    if (owner !== undefined && !caller.isAdmin) throw forbidden('Only members of the admins group may ask for another owner.');
    if (owner !== undefined && owner !== 'all' && !EVENT_OWNER_PATTERN.test(owner))
      throw badRequest('"owner" must be a user id (a Cognito sub), "unowned" or "all".');
    const scopeOwner = caller.isAdmin ? (owner === undefined || owner === 'all' ? undefined : owner) : caller.sub;
    let scope;
    try {
      scope = analyticsScope({
        days,
        from: query.string('from', 10),
        to: query.string('to', 10),
        today: deps.now(),
        owner: scopeOwner,
        version: query.string('version', 40),
      });
    } catch (error) {
      if (error instanceof AnalyticsInputError) throw badRequest(`${error.message}.`);
      throw error;
    }
    return ok(await summariseFacts(deps.analytics, scope));
  });
}
