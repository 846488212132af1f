import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LambdaRuntime } from '../services/lambda';
import { startLocalStack, type LocalStack } from '../stack';
import { loadLocalApp } from '../template';
import { parseCommandLine, printedHelp } from './command-line';
import { bucketsNamedIn, listEdgeBuckets, missingBucketsNote } from './event-buckets';

const USAGE = `Usage: npm run invoke -- <FunctionLogicalId> <event.json> [--edge URL] [--data-dir DIR] [--no-vision]
Runs one function of template.yaml on the event, with its template environment and the local endpoints, like
\`sam local invoke\`. Uses the stack at --edge (or a running \`npm start\` at http://127.0.0.1:$EDGE_PORT) when one
answers; otherwise starts the stack in-process on a free port with a temporary data folder (or --data-dir).
Prints the result (or Lambda's error document) as JSON. Exit code: 0 success, 1 function error, 2 internal error.`;

/**
 * `npm run invoke`: one function, one event, result on stdout and the function's logs on stderr.
 * @returns the exit code.
 */
export async function runInvoke(
  argv: readonly string[],
  out: (text: string) => void = (t) => process.stdout.write(`${t}\n`),
): Promise<number> {
  const parsed = parseCommandLine('invoke', USAGE, {
    args: [...argv],
    allowPositionals: true,
    options: { edge: { type: 'string' }, 'data-dir': { type: 'string' }, 'no-vision': { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (!parsed) return 2;
  if (printedHelp(parsed.values, USAGE)) return 0;
  const { values: flags, positionals } = parsed;
  const [logicalId, eventFile] = positionals;
  if (!logicalId || !eventFile || positionals.length > 2) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let stack: LocalStack | undefined;
  let runtime: LambdaRuntime | undefined;
  let tempDir: string | undefined;
  try {
    const event = JSON.parse(await readFile(resolve(eventFile), 'utf8')) as unknown;
    const app = loadLocalApp({ rootDir: resolve(__dirname, '..', '..') });
    if (!app.functions.some((f) => f.logicalId === logicalId)) {
      process.stderr.write(
        `invoke: no function ${logicalId} in template.yaml (have: ${app.functions.map((f) => f.logicalId).join(', ')})\n`,
      );
      return 2;
    }
    const logSink = (id: string, line: string) => process.stderr.write(`[${id}] ${line}\n`);
    const running = flags.edge ?? (await runningEdge(`http://127.0.0.1:${process.env.EDGE_PORT ?? 4566}`));
    if (running) {
      runtime = new LambdaRuntime(app, { edgeUrl: running, region: app.pseudo.region, accountId: app.pseudo.accountId, logSink });
      process.stderr.write(`invoke: using the stack at ${running}\n`);
    } else {
      const configured = flags['data-dir'] ?? process.env.LOCAL_DATA_DIR;
      if (!configured) tempDir = await mkdtemp(join(tmpdir(), 'sip-invoke-'));
      stack = await startLocalStack({
        dataDir: configured ? resolve(configured) : tempDir,
        edgePort: 0,
        withVision: !flags['no-vision'],
        logSink,
        recover: false,
      });
      runtime = stack.services.lambda;
    }
    const edgeUrl = running ?? (stack as LocalStack).edgeUrl;
    const uploadsBucket = app.buckets.find((b) =>
      app.functions.some((f) => f.s3Events.some((e) => e.bucketLogicalId === b.logicalId)),
    )?.name;
    const note = missingBucketsNote(bucketsNamedIn(event), await listEdgeBuckets(edgeUrl, app.pseudo.region), { edgeUrl, uploadsBucket });
    try {
      const result = await runtime.invoke(logicalId, event);
      out(JSON.stringify(result, null, 2));
      return 0;
    } catch (err) {
      const e = err as Error & { payload?: { errorType: string; errorMessage: string; trace?: string[] } };
      out(JSON.stringify(e.payload ?? { errorType: e.name, errorMessage: e.message }, null, 2));
      return 1;
    } finally {
      // On stderr, after the function's logs, so stdout stays the result document alone.
      if (note) process.stderr.write(`${note}\n`);
    }
  } catch (err) {
    process.stderr.write(`invoke: internal error: ${(err as Error).stack ?? String(err)}\n`);
    return 2;
  } finally {
    if (stack) await stack.stop();
    else await runtime?.close();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}

/** The edge URL when a local stack answers there (a Step Functions call within half a second), else undefined. */
async function runningEdge(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.ListStateMachines' },
      body: '{}',
      signal: AbortSignal.timeout(500),
    });
    return res.ok ? url : undefined;
  } catch {
    return undefined;
  }
}

if (require.main === module) {
  runInvoke(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`${(err as Error).stack}\n`);
      process.exit(2);
    },
  );
}
