import type { ApiDeps } from '../api-deps';
import { readJsonObject, requireNoBody } from '../http/json-body';
import { QueryReader } from '../http/query-reader';
import { ok } from '../http/responses';
import type { Router } from '../http/router';
import { readPreferencesItem, writePreferencesItem } from '../preferences/preferences-item';

/**
 * The caller's own notification preferences (issue 12): which channels (e-mail, SMS; none opts out) and which events.
 * Addresses are not preferences: the notifier sends only to the verified e-mail and phone of the user's profile.
 */
export function registerPreferenceRoutes(router: Router, deps: ApiDeps): void {
  router.on('GET', '/me/preferences', async ({ request, caller }) => {
    new QueryReader(request.query, []);
    requireNoBody(request);
    return ok(await readPreferencesItem(deps.documents, deps.resources.tableName, caller.sub));
  });

  router.on('PUT', '/me/preferences', async ({ request, caller }) => {
    new QueryReader(request.query, []);
    const preferences = await writePreferencesItem(
      deps.documents,
      deps.resources.tableName,
      caller.sub,
      readJsonObject(request),
      deps.now(),
    );
    deps.logger.info('Notification preferences changed', { sub: caller.sub, channels: preferences.channels, events: preferences.events });
    return ok({ source: 'stored', preferences });
  });
}
