import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { startEdgeServer, type EdgeServer } from '../../../../edge/server';
import type { LocalStateMachine } from '../../../../template/types';
import { createS3Service } from '../../../s3/s3-service';
import { createSdkCaller } from '../../../../stack/sdk-caller';
import { StepFunctionsService } from '../../step-functions';
import { stepFunctionsEdgeService } from '../../edge-service';
import { TaskFailedError } from '../../errors';
import { testStateMachine } from '../support/sfn-over-edge';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:reprocess';
const ITEMS = 1000;
const failing = (id: number) => id % 50 === 7; // 20 of 1,000 items

function machine(name: string, map: Record<string, unknown>): LocalStateMachine {
  return testStateMachine(name, {
    StartAt: 'Reprocess',
    States: {
      Reprocess: {
        Type: 'Map',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Work',
          States: { Work: { Type: 'Task', Resource: FN, End: true } },
        },
        MaxConcurrency: 4,
        ResultPath: '$.run',
        End: true,
        ...map,
      },
    },
  });
}

const READER = {
  Resource: 'arn:aws:states:::s3:getObject',
  ReaderConfig: { InputType: 'JSON' },
  Parameters: { Bucket: 'jobs', 'Key.$': '$.key' },
};
const TOLERANT = machine('Tolerant', {
  ItemReader: READER,
  ItemSelector: { 'id.$': '$$.Map.Item.Value.id', 'index.$': '$$.Map.Item.Index' },
  ToleratedFailurePercentage: 5,
  ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: 'runs' } },
});
const STRICT = machine('Strict', { ItemReader: READER, ToleratedFailureCount: 5 });
const BATCHED = machine('Batched', {
  ItemReader: {
    Resource: 'arn:aws:states:::s3:getObject',
    ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
    Parameters: { Bucket: 'jobs', Key: 'items.csv' },
  },
  ItemBatcher: { MaxItemsPerBatch: 30, BatchInput: { reason: 'config-v2' } },
  ToleratedFailurePercentage: 100,
});

jest.setTimeout(60_000);

describe('Distributed Map over the local S3', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sip-sfn-dmap-'));
  let edge: EdgeServer;
  let service: StepFunctionsService;
  let sfn: SFNClient;
  let s3: S3Client;
  /** What the item function saw: ids processed, and how many ran at once. */
  const seen = { ids: [] as number[], batches: [] as unknown[], inFlight: 0, maxInFlight: 0 };

  beforeAll(async () => {
    const s3Service = await createS3Service({ dataDir: join(dataDir, 's3') });
    const sdk: { call?: ReturnType<typeof createSdkCaller> } = {};
    service = new StepFunctionsService({
      dataDir,
      stateMachines: [TOLERANT, STRICT, BATCHED],
      region: 'us-east-1',
      invokers: {
        async invokeLambda(_fn, payload) {
          seen.inFlight += 1;
          seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
          try {
            await new Promise((r) => setTimeout(r, 1));
            const event = payload as { id?: number | string; Items?: Array<{ id: string }> };
            if (event.Items) {
              seen.batches.push(event);
              return { count: event.Items.length };
            }
            const id = Number(event.id);
            seen.ids.push(id);
            if (failing(id)) throw new TaskFailedError('ReprocessError', `item ${id} is corrupt`);
            return { id, ok: true };
          } finally {
            seen.inFlight -= 1;
          }
        },
        callSdk: (svc, action, params) => (sdk.call as ReturnType<typeof createSdkCaller>)(svc, action, params),
      },
    });
    edge = await startEdgeServer({ port: 0, services: [stepFunctionsEdgeService(service), s3Service] });
    sdk.call = createSdkCaller({ edgeUrl: edge.url, region: 'us-east-1' });
    const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
    sfn = new SFNClient({ endpoint: edge.url, region: 'us-east-1', credentials });
    s3 = new S3Client({ endpoint: edge.url, region: 'us-east-1', forcePathStyle: true, credentials });
    await s3.send(new CreateBucketCommand({ Bucket: 'jobs' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'results' }));
    const items = Array.from({ length: ITEMS }, (_, id) => ({ id }));
    await s3.send(new PutObjectCommand({ Bucket: 'jobs', Key: 'items.json', Body: JSON.stringify(items) }));
    await s3.send(
      new PutObjectCommand({
        Bucket: 'jobs',
        Key: 'items.csv',
        Body: `id,name\n${items.map(({ id }) => `${id},"image ${id}, v1"`).join('\n')}\n`,
      }),
    );
  });
  afterAll(async () => {
    await service.close();
    await edge.close();
  });

  beforeEach(() => Object.assign(seen, { ids: [], batches: [], inFlight: 0, maxInFlight: 0 }));

  const run = async (m: LocalStateMachine, input: object) => {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: m.arn, input: JSON.stringify(input) }));
    await service.waitForIdle();
    return { executionArn: executionArn as string, described: await sfn.send(new DescribeExecutionCommand({ executionArn })) };
  };
  const readJson = async (Bucket: string, Key: string) =>
    JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToString()) as unknown;

  it('runs 1,000 items at concurrency 4, tolerates 2% failures and writes the results in AWS layout', async () => {
    // Act
    const { executionArn, described } = await run(TOLERANT, { key: 'items.json' });

    // Assess
    expect(described.status).toBe('SUCCEEDED');
    expect(seen.maxInFlight).toBe(4);
    expect(new Set(seen.ids).size).toBe(ITEMS);
    const { run: mapRun } = JSON.parse(described.output as string) as {
      run: { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } };
    };
    const runId = mapRun.MapRunArn.split(':').pop();
    expect(mapRun.MapRunArn).toMatch(/^arn:aws:states:us-east-1:000000000000:mapRun:Tolerant\/Reprocess:[0-9a-f-]{36}$/);
    expect(mapRun.ResultWriterDetails).toEqual({ Bucket: 'results', Key: `runs/${runId}/manifest.json` });
    const manifest = (await readJson('results', mapRun.ResultWriterDetails.Key)) as {
      DestinationBucket: string;
      MapRunArn: string;
      ResultFiles: Record<string, Array<{ Key: string; Size: number }>>;
    };
    expect(manifest).toMatchObject({ DestinationBucket: 'results', MapRunArn: mapRun.MapRunArn });
    expect(manifest.ResultFiles.SUCCEEDED.map((f) => f.Key)).toEqual([`runs/${runId}/SUCCEEDED_0.json`]);
    expect(manifest.ResultFiles.FAILED.map((f) => f.Key)).toEqual([`runs/${runId}/FAILED_0.json`]);
    expect(manifest.ResultFiles.PENDING).toEqual([]);
    const succeeded = (await readJson('results', `runs/${runId}/SUCCEEDED_0.json`)) as Array<{
      Status: string;
      Input: string;
      Output: string;
    }>;
    const failed = (await readJson('results', `runs/${runId}/FAILED_0.json`)) as Array<{
      Status: string;
      Input: string;
      Error: string;
      Cause: string;
    }>;
    expect(succeeded).toHaveLength(980);
    expect(failed).toHaveLength(20);
    expect(failed.every((f) => f.Status === 'FAILED' && f.Error === 'ReprocessError' && failing(JSON.parse(f.Input).id))).toBe(true);
    const inputs = [...succeeded, ...failed].map((e) => JSON.parse(e.Input) as { id: number; index: number });
    expect(new Set(inputs.map((i) => i.id)).size).toBe(ITEMS); // none lost, none twice
    expect(inputs.every((i) => i.id === i.index)).toBe(true); // ItemSelector saw $$.Map.Item
    expect(JSON.parse(succeeded[0].Output)).toMatchObject({ ok: true });
    const types = ((await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? []).map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'MapStateEntered',
      'MapRunStarted',
      'MapRunSucceeded',
      'MapStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('fails with States.ExceedToleratedFailureThreshold once failures pass ToleratedFailureCount, and stops starting items', async () => {
    // Act
    const { described } = await run(STRICT, { key: 'items.json' });

    // Assess
    expect(described.status).toBe('FAILED');
    expect(described.error).toBe('States.ExceedToleratedFailureThreshold');
    expect(seen.ids.filter(failing).length).toBe(6); // the sixth failure exceeds a count of 5
    expect(seen.ids.length).toBeLessThan(ITEMS);
    expect(seen.maxInFlight).toBeLessThanOrEqual(4);
  });

  it('reads a CSV object and hands each child a batch with its BatchInput', async () => {
    // Act
    const { described } = await run(BATCHED, {});

    // Assess
    expect(described.status).toBe('SUCCEEDED');
    const batches = seen.batches as Array<{ BatchInput: unknown; Items: Array<{ id: string; name: string }> }>;
    expect(batches).toHaveLength(34); // 33 of 30 and one of 10
    expect(batches.every((b) => b.Items.length <= 30 && (b.BatchInput as { reason: string }).reason === 'config-v2')).toBe(true);
    const ids = batches.flatMap((b) => b.Items.map((i) => Number(i.id)));
    expect(new Set(ids).size).toBe(ITEMS);
    expect(batches[0].Items[1]).toEqual({ id: '1', name: 'image 1, v1' });
    expect(JSON.parse(described.output as string).run.reduce((n: number, r: { count: number }) => n + r.count, 0)).toBe(ITEMS);
  });
});
