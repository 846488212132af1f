import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalStack, type LocalStack } from '../stack';
import type { ExecutionRecord } from '../services/stepfunctions/types';
import { parseCommandLine } from './command-line';
import { progressLine, resultFor, type PendingUpload, type ProcessResult } from './process-results';

const USAGE = `Usage: npm run process -- [--json] [--export DIR] [--data-dir DIR] [--concurrency N] <files...>
Runs the whole pipeline in-process on each file and prints one result per file.
Exit code: 0 all succeeded, 1 some image failed, 2 internal error.`;

/**
 * `npm run process`: starts the stack in-process (port 0; a temporary data folder unless --data-dir or LOCAL_DATA_DIR),
 * uploads each file under uploads/, waits for every execution and reports.
 * @returns the exit code.
 */
export async function runProcess(
  argv: readonly string[],
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<number> {
  const parsed = parseCommandLine('process', USAGE, {
    args: [...argv],
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      export: { type: 'string' },
      'data-dir': { type: 'string' },
      concurrency: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (!parsed) return 2;
  const { values: flags, positionals } = parsed;
  if (flags.help || positionals.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return flags.help ? 0 : 2;
  }
  const concurrency = flags.concurrency === undefined ? undefined : Number(flags.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) {
    process.stderr.write(`process: --concurrency needs a whole number above 0, got "${flags.concurrency}"\n${USAGE}\n`);
    return 2;
  }
  const files = positionals.map((f) => resolve(f));
  const configured = flags['data-dir'] ?? process.env.LOCAL_DATA_DIR;
  const dataDir = configured ? resolve(configured) : await mkdtemp(join(tmpdir(), 'sip-process-'));
  let stack: LocalStack | undefined;
  try {
    stack = await startLocalStack({ dataDir, edgePort: 0, concurrency, recover: Boolean(configured) });
    const s3 = new S3Client({
      endpoint: stack.edgeUrl,
      region: stack.app.pseudo.region,
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const uploads: PendingUpload[] = [];
    const usedKeys = new Set<string>();
    for (const file of files) {
      const body = await readFile(file);
      const key = uniqueKey(`uploads/${basename(file)}`, usedKeys);
      const startedAt = Date.now();
      const put = await s3.send(new PutObjectCommand({ Bucket: stack.resources.uploadsBucket, Key: key, Body: body }));
      uploads.push({ file, key, versionId: put.VersionId, startedAt });
    }
    const results = await collectResults(stack, uploads, flags.json ? undefined : out);
    s3.destroy();
    if (flags.export) await exportResults(stack, results, resolve(flags.export));
    if (flags.json) out(JSON.stringify(results, null, 2));
    return results.every((r) => r.status === 'SUCCEEDED') ? 0 : 1;
  } catch (err) {
    process.stderr.write(`process: internal error: ${(err as Error).stack ?? String(err)}\n`);
    return 2;
  } finally {
    await stack?.stop();
    if (!configured) await rm(dataDir, { recursive: true, force: true });
  }
}

async function collectResults(stack: LocalStack, uploads: PendingUpload[], progress?: (line: string) => void): Promise<ProcessResult[]> {
  const byUpload = new Map<PendingUpload, Promise<ProcessResult>>();
  const report = (upload: PendingUpload, execution: ExecutionRecord | undefined) => {
    if (byUpload.has(upload)) return;
    const result = resultFor(stack, upload, execution);
    byUpload.set(upload, result);
    if (progress) void result.then((r) => progress(progressLine(r)));
  };
  const onFinished = () => {
    for (const upload of uploads) {
      const execution = executionFor(stack, upload);
      if (execution && execution.status !== 'RUNNING') report(upload, execution);
    }
  };
  stack.services.stepfunctions.on('finished', onFinished);
  try {
    await stack.waitForIdle();
  } finally {
    stack.services.stepfunctions.off('finished', onFinished);
  }
  for (const upload of uploads) report(upload, executionFor(stack, upload));
  return Promise.all(uploads.map((u) => byUpload.get(u) as Promise<ProcessResult>));
}

function executionFor(stack: LocalStack, upload: PendingUpload): ExecutionRecord | undefined {
  return stack.services.stepfunctions.allExecutions().find((e) => {
    try {
      const source = (JSON.parse(e.input) as { source?: { bucket: string; key: string; versionId?: string | null } }).source;
      return (
        source?.bucket === stack.resources.uploadsBucket &&
        source.key === upload.key &&
        (source.versionId ?? undefined) === upload.versionId
      );
    } catch {
      return false;
    }
  });
}

async function exportResults(stack: LocalStack, results: ProcessResult[], dir: string): Promise<void> {
  for (const result of results) {
    if (!result.imageId) continue;
    const target = join(dir, result.imageId);
    await mkdir(target, { recursive: true });
    await writeFile(join(target, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
    const prefix = result.variants[0]?.key.replace(/[^/]+$/, '') ?? `images/${result.imageId}/`;
    for (const object of stack.services.s3.listObjects(stack.resources.processedBucket, { prefix })) {
      const name = object.key.slice(prefix.length).replace(/\//g, '-');
      if (!name || (!object.key.endsWith('.json') && !result.variants.some((v) => v.key === object.key))) continue;
      await writeFile(join(target, name), await stack.services.s3.getObjectBytes(object.bucket, object.key));
    }
  }
}

function uniqueKey(key: string, used: Set<string>): string {
  let candidate = key;
  for (let n = 2; used.has(candidate); n += 1) candidate = key.replace(/(\.[^./]*)?$/, (ext) => `-${n}${ext}`);
  used.add(candidate);
  return candidate;
}

if (require.main === module) {
  runProcess(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`${(err as Error).stack}\n`);
      process.exit(2);
    },
  );
}
