import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { bucketsNamedIn } from '../../local/cli/event-buckets';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { FIXTURES } from './support/clients';
import { runNpmScript } from './support/run-cli';

jest.setTimeout(300_000);

const RESULT_FIELDS = [
  'durationMs',
  'error',
  'executionArn',
  'faces',
  'file',
  'image',
  'imageId',
  'key',
  'labels',
  'moderation',
  'status',
  'text',
  'variants',
];
const EVENTS = join(__dirname, '..', '..', 'events');

describe('npm run process', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('prints one JSON result per file with the promised fields, exports them, and exits 1 when one failed', async () => {
    // Prepare
    const exportDir = await mkdtemp(join(tmpdir(), 'sip-export-'));
    dirs.push(exportDir);
    const files = ['ai-face.jpg', 'flowers.jpeg', 'corrupt-header.jpg'].map((f) => join(FIXTURES, f));

    // Act
    const run = await runNpmScript('process', ['--json', '--export', exportDir, ...files]);

    // Assess
    expect(run.code).toBe(1);
    const results = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(results.map((r) => Object.keys(r).sort())).toEqual(files.map(() => RESULT_FIELDS));
    expect(results.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'FAILED']);
    expect(results[2].error).toEqual({ name: 'CorruptImageError', message: expect.stringContaining('corrupt') });
    expect(results[1].image).toEqual({ format: 'jpeg', width: 1920, height: 1080, bytes: expect.any(Number) });
    const faces = results[0].faces as Array<{ emotions: unknown[] }>;
    expect(faces.length).toBeGreaterThanOrEqual(1);
    const exported = await readdir(join(exportDir, results[1].imageId as string));
    expect(exported).toEqual(expect.arrayContaining(['result.json', 'w256.webp', 'w256.jpg', 'rekognition-detect-labels.json']));
  });

  it('prints a progress line per image and exits 0 when all succeeded', async () => {
    // Act
    const run = await runNpmScript('process', [join(FIXTURES, 'grey-plus-alpha.gif'), join(FIXTURES, '4.webp')]);

    // Assess
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.startsWith('ok'))).toBe(true);
  });

  it('exits 2 on an internal error, such as a file that does not exist', async () => {
    // Act
    const run = await runNpmScript('process', ['/nonexistent/photo.jpg']);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('ENOENT');
  });
});

describe('npm run invoke', () => {
  let stack: LocalStack;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sip-invoke-'));
    stack = await startLocalStack({ dataDir, edgePort: 0 });
  });
  afterAll(async () => {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const folders = readdirSync(EVENTS);
  const cases = folders.flatMap((folder) => readdirSync(join(EVENTS, folder)).map((file) => [folder, file] as const));
  const functionFor = (folder: string) =>
    `${folder
      .split('-')
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join('')}Function`;

  it.each(cases)('runs %s on %s and prints the result or the function error', async (folder, file) => {
    // Act
    const run = await runNpmScript('invoke', [functionFor(folder), join(EVENTS, folder, file), '--edge', stack.edgeUrl]);

    // Assess
    expect([0, 1]).toContain(run.code);
    const printed = JSON.parse(run.stdout) as { errorType?: string };
    if (run.code === 1) {
      // A handler's own named error, never a broken sandbox, import or configuration.
      expect(printed.errorType).toMatch(/Error$/);
      expect(printed.errorType).not.toMatch(/^(Runtime\.|Sandbox\.|ConfigurationError)/);
    }
    // Every sample that names buckets names a deployed account's: invoke says so, and how to use a local one.
    if (bucketsNamedIn(JSON.parse(readFileSync(join(EVENTS, folder, file), 'utf8'))).length > 0) {
      expect(run.stderr).toContain('which the local stack does not have');
      expect(run.stderr).toContain(`--bucket ${stack.resources.uploadsBucket}`);
    }
  });

  it('succeeds on the trigger and store-metadata events, which need nothing but the stack', async () => {
    // Prepare: the sample names a deployed account's bucket, which the trigger refuses; a copy names the local one.
    const sample = JSON.parse(readFileSync(join(EVENTS, 'trigger-step-function', 's3-put.json'), 'utf8'));
    const local = JSON.parse(JSON.stringify(sample));
    local.Records[0].s3.bucket = {
      ...local.Records[0].s3.bucket,
      name: stack.resources.uploadsBucket,
      arn: `arn:aws:s3:::${stack.resources.uploadsBucket}`,
    };
    const localEvent = join(dataDir, 's3-put-local.json');
    writeFileSync(localEvent, JSON.stringify(local));

    // Act
    const refused = await runNpmScript('invoke', [
      'TriggerStepFunctionFunction',
      join(EVENTS, 'trigger-step-function', 's3-put.json'),
      '--edge',
      stack.edgeUrl,
    ]);
    const trigger = await runNpmScript('invoke', ['TriggerStepFunctionFunction', localEvent, '--edge', stack.edgeUrl]);
    const store = await runNpmScript('invoke', [
      'StoreMetadataFunction',
      join(EVENTS, 'store-metadata', 'success.json'),
      '--edge',
      stack.edgeUrl,
    ]);

    // Assess
    expect(refused.code).toBe(0);
    expect(JSON.parse(refused.stdout)).toMatchObject({ started: 0, failed: [expect.objectContaining({ error: 'ForeignBucketError' })] });
    expect(trigger.code).toBe(0);
    const summary = JSON.parse(trigger.stdout) as { started: number; duplicates: number };
    expect(summary.started + summary.duplicates).toBe(1);
    expect(store.code).toBe(0);
    expect(JSON.parse(store.stdout)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('exits 2 for a function the template does not have', async () => {
    // Prepare
    const event = join(dataDir, 'event.json');
    await writeFile(event, '{}');

    // Act
    const run = await runNpmScript('invoke', ['NoSuchFunction', event, '--edge', stack.edgeUrl]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no function NoSuchFunction');
    expect(existsSync(event)).toBe(true);
  });
});
