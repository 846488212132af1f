/**
 * Runs the local stack in its own process for the crash, fault and load tests: LOCAL_DATA_DIR, EDGE_PORT (0 = free
 * port), LOCAL_CONCURRENCY and LOCAL_FAULTS come from the environment, as with `npm start`. Prints one JSON line
 * (`{"ready": …}`) once it serves, then runs until SIGTERM (clean stop) or SIGKILL (the crash under test).
 */
import { startLocalStack } from '../../../local/stack';

async function main(): Promise<void> {
  const stack = await startLocalStack({
    dataDir: process.env.LOCAL_DATA_DIR,
    edgePort: Number(process.env.EDGE_PORT ?? 0),
    concurrency: process.env.LOCAL_CONCURRENCY ? Number(process.env.LOCAL_CONCURRENCY) : undefined,
    asyncRetryDelayMs: 200,
  });
  process.stdout.write(
    `${JSON.stringify({ ready: { edgeUrl: stack.edgeUrl, resources: stack.resources, recovered: stack.recovered, pid: process.pid } })}\n`,
  );
  process.once('SIGTERM', () => {
    void stack.stop().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`stack-main: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(2);
});
