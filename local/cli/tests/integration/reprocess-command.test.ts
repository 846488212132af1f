/**
 * `npm run reprocess` while a local stack runs on the data folder: the run goes through that stack's Step Functions
 * endpoint (found by EDGE_PORT or --endpoint), the same ASL with the same input; a stack that holds the folder but does
 * not answer is a clear error and nothing starts.
 */
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { reprocessCommand } from '../../reprocess';
import { startLocalStack, type LocalStack } from '../../../stack';

jest.setTimeout(120_000);

const TWO_VERSIONS = JSON.stringify({ current: 'v1', versions: { v1: {}, v2: { minLabelConfidence: 60 } } });

let stack: LocalStack;
let dataDir: string;
let stderr: string[] = [];

/** Runs the command as `npm run reprocess` would, with EDGE_PORT set as given; returns its exit code and output. */
async function reprocess(args: string[], edgePort?: string): Promise<{ code: number; out: string[]; err: string }> {
  const out: string[] = [];
  stderr = [];
  const saved = process.env.EDGE_PORT;
  if (edgePort === undefined) delete process.env.EDGE_PORT;
  else process.env.EDGE_PORT = edgePort;
  try {
    const code = await reprocessCommand(['--data-dir', dataDir, ...args], (line) => out.push(line));
    return { code, out, err: stderr.join('') };
  } finally {
    if (saved === undefined) delete process.env.EDGE_PORT;
    else process.env.EDGE_PORT = saved;
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sip-reprocess-cli-'));
  stack = await startLocalStack({ dataDir, edgePort: 0, withVision: false, parameterOverrides: { PipelineConfig: TWO_VERSIONS } });
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
});

afterAll(async () => {
  jest.restoreAllMocks();
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm run reprocess against a running stack', () => {
  it('starts the run through the running stack found by EDGE_PORT and reports it', async () => {
    // Prepare
    const port = new URL(stack.edgeUrl).port;
    const machine = stack.app.stateMachines.find((m) => m.logicalId === 'ReprocessStateMachine')!;

    // Act
    const result = await reprocess(['--version', 'v2', '--where', 'all', '--json'], port);
    const sfn = new SFNClient({
      endpoint: stack.edgeUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const runs = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine.arn }))).executions ?? [];
    sfn.destroy();

    // Assess
    expect(result.code).toBe(0);
    expect(result.err).toContain(`using the running local stack at http://127.0.0.1:${port}`);
    const summary = JSON.parse(result.out.join('\n'));
    expect(summary).toMatchObject({ status: 'SUCCEEDED', version: 'v2', where: 'all', selected: 0 });
    // The running stack ran it: its Step Functions service lists the execution.
    expect(runs.map((run) => run.executionArn)).toContain(summary.executionArn);
  });

  it('takes --endpoint, and refuses a version the running stack does not know like in-process mode', async () => {
    // Act
    const result = await reprocess(['--version', 'v7', '--where', 'all', '--endpoint', stack.edgeUrl, '--json']);

    // Assess
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out.join('\n'))).toMatchObject({ status: 'FAILED', error: { name: 'UnknownPipelineVersionError' } });
  });

  it('says which process holds the data folder when no stack answers there, and starts nothing', async () => {
    // Act: the folder is held (by this process's stack) but EDGE_PORT points where nothing listens.
    const result = await reprocess(['--version', 'v2', '--where', 'all'], '1');

    // Assess
    expect(result.code).toBe(2);
    expect(result.err).toContain(`the data folder is in use by process ${process.pid} (a local stack)`);
    expect(result.err).toContain('no local stack answers at http://127.0.0.1:1');
    expect(result.err).toContain('nothing was started');
    expect(result.out).toEqual([]);
  });
});

describe('npm run reprocess with no stack running', () => {
  it('starts the stack in-process on the free data folder, as before', async () => {
    // Prepare
    const free = mkdtempSync(join(tmpdir(), 'sip-reprocess-cli-free-'));
    const out: string[] = [];
    stderr = [];

    // Act
    const code = await reprocessCommand(['--data-dir', free, '--version', 'v1', '--where', 'failed', '--json'], (line) => out.push(line));
    await rm(free, { recursive: true, force: true });

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ status: 'SUCCEEDED', version: 'v1', selected: 0 });
    expect(stderr.join('')).not.toContain('using the running local stack');
  });
});
