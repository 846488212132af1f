import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createS3Service } from '../../local/services/s3/s3-service';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { loadLocalApp } from '../../local/template';
import { killHard, startChildStack } from './support/child-stack';
import { edgeClients, FIXTURES } from './support/clients';

jest.setTimeout(300_000);

const FILES = ['flowers.jpeg', 'ai-face.jpg', 'Portrait_6.jpg', 'group-1.jpg'];

describe('recovery after a crash', () => {
  const dirs: string[] = [];
  let stack: LocalStack | undefined;

  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('finishes every upload exactly once after kill -9 in the middle of a run', async () => {
    // Prepare
    const dataDir = await mkdtemp(join(tmpdir(), 'sip-kill-'));
    dirs.push(dataDir);
    const running = await startChildStack(dataDir, { LOCAL_CONCURRENCY: '1' });
    const first = edgeClients(running.edgeUrl);
    const app = loadLocalApp({ rootDir: join(__dirname, '..', '..') });
    const bucket = app.buckets.find((b) => b.versioned)?.name as string;
    const stateMachineArn = app.stateMachines[0].arn;
    for (const file of FILES) {
      await first.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `uploads/${file}`, Body: await readFile(join(FIXTURES, file)) }));
    }
    for (;;) {
      const listed = await first.sfn.send(new ListExecutionsCommand({ stateMachineArn }));
      if ((listed.executions ?? []).some((e) => e.status === 'RUNNING')) break;
      await new Promise((r) => setTimeout(r, 100));
    }

    // Act
    await killHard(running.child);
    first.destroy();
    stack = await startLocalStack({ dataDir, edgePort: 0, concurrency: 2 });
    await stack.waitForIdle();

    // Assess
    const executions = stack.services.stepfunctions.allExecutions();
    const keys = executions.map((e) => (JSON.parse(e.input) as { source: { key: string } }).source.key).sort();
    expect(keys).toEqual(FILES.map((f) => `uploads/${f}`).sort());
    expect(executions.map((e) => e.status)).toEqual(FILES.map(() => 'SUCCEEDED'));
    // The kill came while an execution was RUNNING, so at least that one was redriven, not started anew.
    expect(stack.recovered.executions).toBeGreaterThan(0);
    const clients = edgeClients(stack.edgeUrl);
    const images = await clients.documents.send(
      new ScanCommand({
        TableName: stack.resources.tableName,
        FilterExpression: 'SK = :sk',
        ExpressionAttributeValues: { ':sk': 'IMAGE' },
      }),
    );
    expect(images.Items?.map((i) => i.status)).toEqual(FILES.map(() => 'SUCCEEDED'));
    // One item per image, holding the revision of that image's only execution, and one revision folder of outputs.
    const revisions = new Map(
      executions.map((e) => {
        const input = JSON.parse(e.input) as { imageId: string; revision: string };
        return [input.imageId, input.revision];
      }),
    );
    expect(new Map(images.Items?.map((i) => [i.imageId as string, i.revision as string]))).toEqual(revisions);
    const outputFolders = new Set(
      stack.services.s3
        .listObjects(stack.resources.processedBucket, { prefix: 'images/' })
        .map((o) => o.key.split('/').slice(1, 3).join('/')),
    );
    expect([...outputFolders].sort()).toEqual([...revisions].map(([imageId, revision]) => `${imageId}/${revision}`).sort());
    expect(
      stack.services.s3
        .listObjects(bucket, { prefix: 'uploads/' })
        .map((o) => o.key)
        .sort(),
    ).toEqual(FILES.map((f) => `uploads/${f}`).sort());
    clients.destroy();
  });

  it('runs an upload that was stored but never delivered to the trigger', async () => {
    // Prepare
    const dataDir = await mkdtemp(join(tmpdir(), 'sip-undelivered-'));
    dirs.push(dataDir);
    const app = loadLocalApp({ rootDir: join(__dirname, '..', '..') });
    const bucket = app.buckets.find((b) => b.versioned)?.name as string;
    const s3 = await createS3Service({ dataDir });
    await s3.createBucket(bucket, { versioning: true });
    await s3.putObject(bucket, 'uploads/orphan.jpg', await readFile(join(FIXTURES, 'flowers.jpeg')));
    await s3.drainEvents();

    // Act
    stack = await startLocalStack({ dataDir, edgePort: 0, withVision: false });
    await stack.waitForIdle();

    // Assess
    expect(stack.recovered.uploads).toBe(1);
    const [execution] = stack.services.stepfunctions.allExecutions();
    expect(JSON.parse(execution.input)).toMatchObject({ source: { bucket, key: 'uploads/orphan.jpg' } });
    expect(['SUCCEEDED', 'FAILED']).toContain(execution.status);
  });
});
