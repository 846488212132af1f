import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startConsoleServer, type ConsoleServer } from '../../server';
import type { LocalStack } from '../../../local/stack';

/** The real local stack (with its user pool and HTTP API) plus the console on free ports, over a fresh data folder. */
export interface ConsoleUnderTest {
  console: ConsoleServer;
  stack: LocalStack;
  edgeUrl: string;
  /** What the console's config.json holds. */
  webApp: NonNullable<LocalStack['webApp']>;
  waitForIdle(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts local/stack.ts on port 0 and the console against it. @throws Error when the stack cannot start. */
export async function startConsoleUnderTest(
  options: { withVision?: boolean; parameterOverrides?: Record<string, string> } = {},
): Promise<ConsoleUnderTest> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sip-console-'));
  // Loaded at run time, as local mode's start command does.
  const { startLocalStack } = (await import(path.join(__dirname, '../../../local/stack'))) as {
    startLocalStack(options: Record<string, unknown>): Promise<LocalStack>;
  };
  // The browser talks to the edge (uploads, images), the HTTP API and the user pool from the console's origin; each of
  // them reads this array on every request, and the console's port is known only once it listens, so it is filled then.
  const allowedOrigins: string[] = [];
  const stack = await startLocalStack({ dataDir, edgePort: 0, apiPort: 0, authPort: 0, allowedOrigins, ...options });
  if (!stack.webApp) throw new Error('the local stack started without its web app');
  const server = await startConsoleServer({
    port: 0,
    host: '127.0.0.1',
    edgeUrl: stack.edgeUrl,
    webApp: stack.webApp,
    outbox: stack.services.notifications.outbox,
    events: stack.services.eventing.events,
    users: stack.services.webApp,
  });
  allowedOrigins.push(server.url);
  return {
    console: server,
    stack,
    edgeUrl: stack.edgeUrl,
    webApp: stack.webApp,
    waitForIdle: () => stack.waitForIdle(),
    stop: async () => {
      await server.close();
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
