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
    { Output: JSON.stringify({ outcome: 'reprocessed', reusedResize: true }) },
    { Output: JSON.stringify({ outcome: 'reprocessed', reusedResize: false }) },
  ],
  [`reprocess/results/${RUN}/FAILED_0.json`]: [{ Error: 'States.TaskFailed' }],
};

/** An API whose token verifier returns `caller`, with a Step Functions client that records StartExecution. */
function apiWith(caller: typeof ADMIN, config = '{"current":"v2","versions":{"v1":{},"v2":{"minLabelConfidence":80}}}') {
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
    now: () => new Date(0),
    uuid: () => '00000000-0000-4000-8000-000000000000',
    resources: { uploadsBucket: 'uploads', processedBucket: 'processed', tableName: 'images', stateMachineArn: MACHINE },
    s3: {
      send: async (command: GetObjectCommand) => ({
        Body: { transformToString: async () => JSON.stringify(RESULT_FILES[command.input.Key!]) },
      }),
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
        skipped: 0,
        failed: 1,
        resultsManifest: `s3://processed/reprocess/results/${RUN}/manifest.json`,
        complete: true,
      },
    });
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
