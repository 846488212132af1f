import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An HTTP server of local mode, listening. */
export interface ListeningServer {
  url: string;
  port: number;
  /** Stops listening and drops open (keep-alive) connections, so a stopped stack leaves no socket behind. */
  close(): Promise<void>;
}

/**
 * Listens on `port` (0: any free port) and `host`; rejects with the listen error (EADDRINUSE, EACCES) instead of
 * leaving it to the server's 'error' event.
 */
export async function listen(server: Server, port: number, host: string): Promise<ListeningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Closing twice is not an error worth failing a shutdown for.
        server.close((error) => (error && (error as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING' ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
