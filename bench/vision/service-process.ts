/**
 * The vision service as a user runs it, in its own process: the local Rekognition endpoint (the same
 * LocalRekognitionService local mode mounts on its edge) with its worker pool. bench:vision forks this so the peak
 * RSS it reports is the service's and its workers', not the bench driver's (which holds the photos it sends).
 * argv: <dataDir> <workers>. Sends `{ url }` over IPC once the models are loaded; exits when the driver disconnects.
 */
import { startRekognitionServer } from '../../local/services/rekognition/server';

async function main(): Promise<void> {
  const [dataDir, workers] = process.argv.slice(2);
  const server = await startRekognitionServer({ dataDir, workers: Number(workers) });
  process.send?.({ url: server.url });
  process.on('disconnect', () => {
    void server.close().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
