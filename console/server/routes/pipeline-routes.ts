import { readFile } from 'node:fs/promises';
import { DescribeStateMachineCommand } from '@aws-sdk/client-sfn';
import type { ApiContext } from '../api-context';
import { HttpError, badRequest, notFound } from '../http/errors';
import { QueryReader } from '../http/query-params';
import type { Router } from '../http/router';

/** The state-machine definition (for the graph) and the notification outbox. */
export function registerPipelineRoutes(router: Router, context: ApiContext): void {
  router.on('GET', '/api/health', async () => ({ ok: true }));

  router.on('GET', '/api/state-machine', async () => {
    try {
      const described = await context.clients.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: context.resources.stateMachineArn }));
      if (described.definition) return { name: described.name ?? null, source: 'DescribeStateMachine', definition: JSON.parse(described.definition) };
    } catch {
      // Fall back to the ASL file: the graph only needs states and transitions, which the file has too.
    }
    const definition = JSON.parse(await readFile(context.aslPath, 'utf8'));
    return { name: null, source: 'asl-file', definition };
  });

  router.on('GET', '/api/outbox', async ({ url }) => {
    const reader = new QueryReader(url.searchParams, ['limit', 'cursor']);
    const limit = reader.integer('limit', 1, 100, 20);
    const cursor = reader.string('cursor', 4096);
    if (!context.outbox) throw new HttpError(501, 'OutboxUnavailable', 'This deployment has no outbox; notifications leave through SNS and SES.');
    const page = await context.outbox.listOutbox({ limit, cursor }).catch((error: Error) => {
      if (cursor) throw badRequest(`"cursor" is not a valid page token (${error.message}).`);
      throw error;
    });
    return { items: page.items, nextCursor: page.nextCursor ?? null };
  });

  router.on('GET', '/api/outbox/:id', async ({ params, url }) => {
    new QueryReader(url.searchParams, []);
    if (!context.outbox) throw new HttpError(501, 'OutboxUnavailable', 'This deployment has no outbox.');
    if (!/^[A-Za-z0-9_.:-]{1,200}$/.test(params.id)) throw badRequest('Bad outbox id.');
    const item = await context.outbox.readOutboxItem(params.id).catch(() => undefined);
    if (item === undefined || item === null) throw notFound(`No outbox item ${params.id}.`);
    return { item };
  });
}
