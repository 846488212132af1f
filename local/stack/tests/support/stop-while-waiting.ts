/**
 * Run as a child process by stop-releases.test.ts: starts the local stack with every image held for moderation review,
 * uploads one photo, waits until its execution waits on the review's task token, stops the stack and returns without
 * process.exit. The process must then end by itself: anything stop() leaves open (a timer, a socket, a worker, a child
 * process) keeps it alive. Prints `held` and `stopped` so the test can tell how far it got.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalStack } from '../..';

const QUARANTINE_EVERYTHING = JSON.stringify({ detectModeration: 'always', minModerationConfidence: 0, quarantineMinConfidence: 0 });

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sip-stop-'));
  const stack = await startLocalStack({
    dataDir,
    edgePort: 0,
    apiPort: 0,
    authPort: 0,
    parameterOverrides: { PipelineConfig: QUARANTINE_EVERYTHING },
    logSink: () => undefined,
  });
  const s3 = new S3Client({
    endpoint: stack.edgeUrl,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
  });
  const photo = readFileSync(join(__dirname, '../../../../tests/fixtures/images/flowers.jpeg'));
  await s3.send(new PutObjectCommand({ Bucket: stack.resources.uploadsBucket, Key: 'uploads/held/flowers.jpeg', Body: photo }));
  s3.destroy();
  // waitForIdle returns once the run has parked on its review token (a run waiting on a token gives up its slot), so
  // a RUNNING execution here is one waiting for the review.
  await stack.waitForIdle();
  console.log(
    `held ${stack.services.stepfunctions
      .allExecutions()
      .map((execution) => execution.status)
      .join(',')}`,
  );
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
  console.log('stopped');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
