import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startConsoleServer, type ConsoleServer } from '../../server';

/** The real local stack plus a console on free ports, over a fresh data folder; shared by the API and browser tests. */
export interface ConsoleUnderTest {
  console: ConsoleServer;
  edgeUrl: string;
  resources: { uploadsBucket: string; processedBucket: string; tableName: string; stateMachineArn: string };
  waitForIdle(): Promise<void>;
  stop(): Promise<void>;
}

interface LocalStack {
  edgeUrl: string;
  resources: ConsoleUnderTest['resources'] & Record<string, string>;
  services: {
    notifications: { outbox: Parameters<typeof startConsoleServer>[0]['outbox'] };
    eventing: { events: NonNullable<Parameters<typeof startConsoleServer>[0]['events']> };
  };
  waitForIdle(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts local/stack.ts on port 0 and the console against it. @throws Error when the stack cannot start. */
export async function startConsoleUnderTest(options: { withVision?: boolean } = {}): Promise<ConsoleUnderTest> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sip-console-'));
  // Loaded at run time so this file type-checks even while local/stack.ts is being written.
  const { startLocalStack } = (await import(path.join(__dirname, '../../../local/stack'))) as { startLocalStack(options: Record<string, unknown>): Promise<LocalStack> };
  // The browser PUTs presigned uploads straight to the edge, which answers CORS only for listed origins. The console's
  // port is known only once it listens, after the edge; the edge reads this array on every request, so it is filled then.
  const allowedOrigins: string[] = [];
  const stack = await startLocalStack({ dataDir, edgePort: 0, allowedOrigins, ...options });
  const server = await startConsoleServer({ port: 0, host: '127.0.0.1', edgeUrl: stack.edgeUrl, resources: stack.resources, outbox: stack.services.notifications.outbox, events: stack.services.eventing.events });
  allowedOrigins.push(server.url);
  return {
    console: server,
    edgeUrl: stack.edgeUrl,
    resources: stack.resources,
    waitForIdle: () => stack.waitForIdle(),
    stop: async () => {
      await server.close();
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
