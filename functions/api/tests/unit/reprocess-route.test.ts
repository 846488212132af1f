import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { ApiDeps } from '../../src/api-deps';
import { createApi } from '../../src/api';
import type { ApiRequest } from '../../src/http/api-request';

const ADMIN = { sub: '7c9e6679-7425-40de-944b-e07fc1f90ae7', username: 'admin', groups: ['admins'], isAdmin: true };
const USER = { ...ADMIN, groups: [], isAdmin: false };
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:stack-reprocess';

/** An API whose token verifier returns `caller`, with a Step Functions client that records StartExecution. */
function apiWith(caller: typeof ADMIN, config = '{"current":"v2","versions":{"v1":{},"v2":{"minLabelConfidence":80}}}') {
  const started: Array<{ stateMachineArn?: string; name?: string; input?: string }> = [];
  const deps = {
    sfn: {
      send: async (command: unknown) => {
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
    s3: { send: async () => ({}), config: {} },
    reprocess: { stateMachineArn: MACHINE, pipelineConfig: async () => config },
  } as unknown as ApiDeps;
  return { api: createApi(deps), started };
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
