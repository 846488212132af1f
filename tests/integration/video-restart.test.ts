import { type AnalysisSummary } from '@smart-image-pipeline/contracts';
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetJobCommand, MediaConvertClient } from '@aws-sdk/client-mediaconvert';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { flowersThenPersonClip } from '../support/video-clips';
import { edgeClients } from './support/clients';

// Bounds a hang: two stack starts, two transcodes and the analysis share 2 cores with other suites. It times nothing.
jest.setTimeout(900_000);

type JobFile = { id: string; kind: string; status: string };

/** The local Rekognition Video's job files in a data folder. */
async function videoJobs(dataDir: string): Promise<JobFile[]> {
  const dir = join(dataDir, 'rekognition', 'video-jobs');
  const files = (await readdir(dir).catch(() => [] as string[])).filter((file) => file.endsWith('.json'));
  return Promise.all(files.map(async (file) => JSON.parse(await readFile(join(dir, file), 'utf8')) as JobFile));
}

describe('a local video run across a restart of the stack in the middle of its analysis', () => {
  let dataDir: string;
  let stack: LocalStack | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sip-video-restart-'));
  });

  afterAll(async () => {
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('finishes the run after the restart with the analysis jobs it started, and still answers the finished transcode', async () => {
    // Prepare: a video uploaded; the first stack stops once both analysis jobs are running.
    const clip = await readFile(await flowersThenPersonClip());
    stack = await startLocalStack({ dataDir, edgePort: 0, concurrency: 1, asyncRetryDelayMs: 50 });
    const first = edgeClients(stack.edgeUrl);
    await first.s3.send(new PutObjectCommand({ Bucket: stack.resources.uploadsBucket, Key: 'uploads/clips/restart.mp4', Body: clip }));
    let started: JobFile[] = [];
    while (started.length < 2 || started.some((job) => job.status !== 'IN_PROGRESS')) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      started = await videoJobs(dataDir);
      if (started.length === 2 && started.every((job) => job.status !== 'IN_PROGRESS'))
        throw new Error('the analysis ended before the stop');
    }
    const [execution] = stack.services.stepfunctions.allExecutions();
    const { imageId } = JSON.parse(execution.input) as { imageId: string };
    const transcodes = (await readdir(join(dataDir, 'mediaconvert', 'jobs'))).map((file) => file.replace(/\.json$/, ''));
    first.destroy();
    await stack.stop();

    // Act
    stack = await startLocalStack({ dataDir, edgePort: 0, concurrency: 1, asyncRetryDelayMs: 50 });
    const clients = edgeClients(stack.edgeUrl);
    await stack.waitForIdle();
    const described = await clients.sfn.send(new DescribeExecutionCommand({ executionArn: execution.executionArn }));
    const item = (
      await clients.documents.send(new GetCommand({ TableName: stack.resources.tableName, Key: { PK: `IMAGE#${imageId}`, SK: 'IMAGE' } }))
    ).Item as { status: string; analysis?: AnalysisSummary };
    const mediaconvert = new MediaConvertClient({
      endpoint: stack.edgeUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const firstTranscode = await mediaconvert.send(new GetJobCommand({ Id: transcodes[0] }));
    const after = await videoJobs(dataDir);
    mediaconvert.destroy();
    clients.destroy();

    // Assess
    expect(transcodes).toHaveLength(1);
    expect(firstTranscode.Job?.Status).toBe('COMPLETE');
    expect(described.status).toBe('SUCCEEDED');
    expect(item.status).toBe('SUCCEEDED');
    const person = item.analysis?.sections.labels?.items.find((label) => label.name === 'Person');
    expect(person?.segments?.[0].start).toBeGreaterThanOrEqual(3);
    // The redriven run got the same two jobs back (same ClientRequestTokens), which ran again to the end.
    expect(after.map((job) => job.id).sort()).toEqual(started.map((job) => job.id).sort());
    expect(after.every((job) => job.status === 'SUCCEEDED')).toBe(true);
  });
});
