import { GetObjectCommand } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, ListExecutionsCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { ApiDeps } from '../../src/api-deps';
import { createApi } from '../../src/api';
import type { ApiRequest } from '../../src/http/api-request';

const ADMIN = { sub: '7c9e6679-7425-40de-944b-e07fc1f90ae7', username: 'admin', groups: ['admins'], isAdmin: true };
const USER = { ...ADMIN, groups: [], isAdmin: false };
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:stack-reprocess';

const RUN = 'reprocess-v2-00000000-0000-4000-8000-000000000000';
/** A finished run's execution output and its ResultWriter files: 3 selected, 2 reprocessed (1 reusing variants), 1 failed. */
const OUTPUT = {
  selection: { count: 3, alreadyCurrent: 5 },
  results: { ResultWriterDetails: { Bucket: 'processed', Key: `reprocess/results/${RUN}/manifest.json` } },
};
const RESULT_FILES: Record<string, unknown> = {
  [`reprocess/results/${RUN}/manifest.json`]: {
    ResultFiles: {
      SUCCEEDED: [{ Key: `reprocess/results/${RUN}/SUCCEEDED_0.json` }],
      FAILED: [{ Key: `reprocess/results/${RUN}/FAILED_0.json` }],
    },
  },
  [`reprocess/results/${RUN}/SUCCEEDED_0.json`]: [
    { Output: JSON.stringify({ outcome: 'reprocessed', reusedResize: true, reusedAnalysis: true }) },
    { Output: JSON.stringify({ outcome: 'reprocessed', reusedResize: false }) },
  ],
  [`reprocess/results/${RUN}/FAILED_0.json`]: [{ Error: 'States.TaskFailed' }],
};

/** The results bucket the API reads, and its clock (each read may move it on). */
interface ResultsStore {
  files: Record<string, unknown>;
  now?: () => Date;
  /** Called on each GetObject; what it returns resolves before the object is answered (to overlap reads). */
  onRead?: (key: string) => Promise<void>;
}

/** An API whose token verifier returns `caller`, with a Step Functions client that records StartExecution. */
function apiWith(
  caller: typeof ADMIN,
  config = '{"current":"v2","versions":{"v1":{},"v2":{"minLabelConfidence":80}}}',
  results: ResultsStore = { files: RESULT_FILES },
) {
  const started: Array<{ stateMachineArn?: string; name?: string; input?: string }> = [];
  const described: string[] = [];
  const deps = {
    sfn: {
      send: async (command: unknown) => {
        if (command instanceof DescribeExecutionCommand) {
          described.push(command.input.executionArn!);
          if (!command.input.executionArn!.endsWith(`:${RUN}`))
            throw Object.assign(new Error('Execution Does Not Exist'), { name: 'ExecutionDoesNotExist' });
          return {
            status: 'SUCCEEDED',
            input: JSON.stringify({ version: 'v2', where: 'all' }),
            output: JSON.stringify(OUTPUT),
            startDate: new Date(0),
            stopDate: new Date(1000),
          };
        }
        if (command instanceof ListExecutionsCommand)
          return { executions: [{ name: RUN, status: 'SUCCEEDED', startDate: new Date(0), stopDate: new Date(1000) }] };
        if (!(command instanceof StartExecutionCommand)) throw new Error('unexpected command');
        started.push(command.input);
        return { executionArn: `${MACHINE.replace(':stateMachine:', ':execution:')}:${command.input.name}`, startDate: new Date(0) };
      },
    },
    verifier: { verify: async () => caller },
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    now: results.now ?? (() => new Date(0)),
    uuid: () => '00000000-0000-4000-8000-000000000000',
    resources: { uploadsBucket: 'uploads', processedBucket: 'processed', tableName: 'images', stateMachineArn: MACHINE },
    s3: {
      send: async (command: GetObjectCommand) => {
        await results.onRead?.(command.input.Key!);
        return { Body: { transformToString: async () => JSON.stringify(results.files[command.input.Key!]) } };
      },
      config: {},
    },
    reprocess: { stateMachineArn: MACHINE, pipelineConfig: async () => config },
  } as unknown as ApiDeps;
  return { api: createApi(deps), started, described };
}

function get(path: string): ApiRequest {
  return {
    method: 'GET',
    path,
    query: new URLSearchParams(),
    headers: { authorization: 'Bearer token' },
    requestId: 'r2',
    body: undefined,
  } as unknown as ApiRequest;
}

function post(body: unknown): ApiRequest {
  return {
    method: 'POST',
    path: '/admin/reprocess',
    query: new URLSearchParams(),
    headers: { authorization: 'Bearer token', 'content-type': 'application/json' },
    body: JSON.stringify(body),
    requestId: 'r1',
  } as ApiRequest;
}

describe('POST /admin/reprocess', () => {
  it('starts the reprocess state machine with the checked request', async () => {
    // Prepare
    const { api, started } = apiWith(ADMIN);

    // Act
    const response = await api.handle(post({ version: 'v2', where: 'label=Dog', maxConcurrency: 4 }));

    // Assess
    expect(response.statusCode).toBe(201);
    expect(JSON.parse(String(response.body))).toMatchObject({ name: 'reprocess-v2-00000000-0000-4000-8000-000000000000' });
    expect(started).toEqual([
      {
        stateMachineArn: MACHINE,
        name: 'reprocess-v2-00000000-0000-4000-8000-000000000000',
        input: JSON.stringify({ version: 'v2', where: 'label=Dog', maxConcurrency: 4 }),
      },
    ]);
  });

  it('answers 400 and starts nothing for a version the config lacks or a bad selection', async () => {
    // Prepare
    const { api, started } = apiWith(ADMIN);

    // Act
    const unknown = await api.handle(post({ version: 'v7', where: 'all' }));
    const badWhere = await api.handle(post({ version: 'v2', where: 'colour=red' }));

    // Assess
    expect(unknown.statusCode).toBe(400);
    expect(JSON.parse(String(unknown.body)).message ?? String(unknown.body)).toContain('v1, v2');
    expect(badWhere.statusCode).toBe(400);
    expect(started).toEqual([]);
  });

  it('is for admins only', async () => {
    // Prepare
    const { api, started } = apiWith(USER);

    // Act
    const response = await api.handle(post({ version: 'v2', where: 'all' }));

    // Assess
    expect(response.statusCode).toBe(403);
    expect(started).toEqual([]);
  });
});

describe('GET /admin/reprocess and /admin/reprocess/{name}', () => {
  it("lists the config's versions and the latest runs", async () => {
    // Prepare
    const { api } = apiWith(ADMIN);

    // Act
    const response = await api.handle(get('/admin/reprocess'));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(String(response.body))).toEqual({
      current: 'v2',
      versions: ['v1', 'v2'],
      runs: [{ name: RUN, status: 'SUCCEEDED', startDate: '1970-01-01T00:00:00.000Z', stopDate: '1970-01-01T00:00:01.000Z' }],
    });
  });

  it("answers a finished run's status with the counts of its results manifest", async () => {
    // Prepare
    const { api, described } = apiWith(ADMIN);

    // Act
    const response = await api.handle(get(`/admin/reprocess/${RUN}`));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(described).toEqual([`${MACHINE.replace(':stateMachine:', ':execution:')}:${RUN}`]);
    expect(JSON.parse(String(response.body))).toMatchObject({
      name: RUN,
      status: 'SUCCEEDED',
      request: { version: 'v2', where: 'all' },
      counts: {
        selected: 3,
        alreadyCurrent: 5,
        reprocessed: 2,
        reusedResize: 1,
        reusedAnalysis: 1,
        skipped: 0,
        failed: 1,
        resultsManifest: `s3://processed/reprocess/results/${RUN}/manifest.json`,
        complete: true,
      },
    });
  });

  /** A run's results as ResultWriter splits a large one: `succeeded` files of 3 children each, `failed` files of 2. */
  function manyResultFiles(succeeded: number, failed: number): Record<string, unknown> {
    const key = (name: string) => `reprocess/results/${RUN}/${name}.json`;
    const files: Record<string, unknown> = {
      [key('manifest')]: {
        ResultFiles: {
          SUCCEEDED: Array.from({ length: succeeded }, (_, i) => ({ Key: key(`SUCCEEDED_${i}`) })),
          FAILED: Array.from({ length: failed }, (_, i) => ({ Key: key(`FAILED_${i}`) })),
        },
      },
    };
    for (let i = 0; i < succeeded; i += 1)
      files[key(`SUCCEEDED_${i}`)] = [
        { Output: JSON.stringify({ outcome: 'reprocessed', reusedResize: true, reusedAnalysis: i % 2 === 0 }) },
        { Output: JSON.stringify({ outcome: 'reprocessed', reusedResize: false }) },
        { Output: JSON.stringify({ outcome: 'skipped', reason: 'claimed' }) },
      ];
    for (let i = 0; i < failed; i += 1) files[key(`FAILED_${i}`)] = [{ Error: 'States.TaskFailed' }, { Error: 'States.Timeout' }];
    return files;
  }

  it('counts every result file of a large run (45 files), reading at most 8 at once', async () => {
    // Prepare: each read waits a tick, so reads that may overlap do.
    let inFlight = 0;
    let mostInFlight = 0;
    const read: string[] = [];
    const { api } = apiWith(ADMIN, undefined, {
      files: manyResultFiles(40, 5),
      onRead: async (key) => {
        read.push(key);
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight -= 1;
      },
    });

    // Act
    const response = await api.handle(get(`/admin/reprocess/${RUN}`));

    // Assess: the manifest and all 45 files, each once; 40 x (2 reprocessed + 1 skipped) and 5 x 2 failed.
    expect(response.statusCode).toBe(200);
    expect(new Set(read).size).toBe(46);
    expect(read).toHaveLength(46);
    expect(mostInFlight).toBe(8);
    expect(JSON.parse(String(response.body)).counts).toEqual({
      selected: 3,
      alreadyCurrent: 5,
      reprocessed: 80,
      reusedResize: 40,
      reusedAnalysis: 20,
      skipped: 40,
      failed: 10,
      resultsManifest: `s3://processed/reprocess/results/${RUN}/manifest.json`,
      complete: true,
    });
  });

  it('says the counts are incomplete when the read time runs out, and starts no read after it', async () => {
    // Prepare: every read moves the clock on by one second; the route reads for 9 s.
    let clock = 0;
    const read: string[] = [];
    const { api } = apiWith(ADMIN, undefined, {
      files: manyResultFiles(40, 5),
      now: () => new Date(clock),
      onRead: async (key) => {
        read.push(key);
        clock += 1000;
      },
    });

    // Act
    const response = await api.handle(get(`/admin/reprocess/${RUN}`));

    // Assess: the manifest (t = 0 -> 1 s), then files until t reaches 9 s: 8 files, a lower bound.
    const counts = JSON.parse(String(response.body)).counts;
    expect(read).toHaveLength(1 + 8);
    expect(counts.complete).toBe(false);
    expect(counts.reprocessed).toBe(16);
  });

  it('answers 404 for an unknown run, 400 for a malformed name, 403 for a user', async () => {
    // Prepare
    const admin = apiWith(ADMIN);
    const user = apiWith(USER);

    // Act
    const unknown = await admin.api.handle(get('/admin/reprocess/reprocess-v9-nothing'));
    const malformed = await admin.api.handle(get('/admin/reprocess/a.b'));
    const forbidden = await user.api.handle(get(`/admin/reprocess/${RUN}`));
    const forbiddenList = await user.api.handle(get('/admin/reprocess'));

    // Assess
    expect(unknown.statusCode).toBe(404);
    expect(malformed.statusCode).toBe(400);
    expect(JSON.parse(String(malformed.body)).error.message).toContain('run name');
    expect(forbidden.statusCode).toBe(403);
    expect(forbiddenList.statusCode).toBe(403);
    expect(user.described).toEqual([]);
  });
});
