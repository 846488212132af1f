import { resolve } from 'node:path';
import { startLocalStack, type LocalStack } from '../stack';
import { parseCommandLine } from './command-line';
import { reprocessClients, runReprocess } from './reprocess-run';
import { runningStackClients, stackHoldingDataDir, UnreachableStackError } from './reprocess-target';

const USAGE = `Usage: npm run reprocess -- --version vN --where all|failed|user=<sub>|label=<name>|older-than=vN
                           [--concurrency N] [--data-dir DIR] [--endpoint URL] [--json]
Runs the reprocess state machine (statemachine/reprocess.asl.json) on the local stack's data (LOCAL_DATA_DIR, default
.local) and prints what it did. When \`npm start\` is running on that data folder, the run is started through its
Step Functions endpoint (its edge: --endpoint, else http://127.0.0.1:$EDGE_PORT, default 4566); otherwise the stack is
started in-process on the folder for the run. The version must be in the PipelineConfig (samconfig.toml [local] or
LOCAL_PARAMETER_OVERRIDES).
Exit code: 0 the run succeeded (0 selected images included), 1 it failed, 2 bad arguments, a running stack that does
not answer, or an internal error.`;

/**
 * `npm run reprocess`: runs one reprocess and reports, through the running local stack's endpoint when one holds the
 * data folder (or --endpoint is given), else on a stack started in-process on the folder.
 */
export async function reprocessCommand(
  argv: readonly string[],
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<number> {
  const parsed = parseCommandLine('reprocess', USAGE, {
    args: [...argv],
    options: {
      version: { type: 'string' },
      where: { type: 'string' },
      concurrency: { type: 'string' },
      'data-dir': { type: 'string' },
      endpoint: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (!parsed) return 2;
  const { values: flags } = parsed;
  if (flags.help || !flags.version || !flags.where) {
    process.stderr.write(`${USAGE}\n`);
    return flags.help ? 0 : 2;
  }
  const maxConcurrency = flags.concurrency === undefined ? undefined : Number(flags.concurrency);
  const dataDir = resolve(flags['data-dir'] ?? process.env.LOCAL_DATA_DIR ?? '.local');
  let stack: LocalStack | undefined;
  try {
    const holder = stackHoldingDataDir(dataDir);
    const endpoint = flags.endpoint ?? (holder ? `http://127.0.0.1:${process.env.EDGE_PORT ?? 4566}` : undefined);
    let clients;
    if (endpoint) {
      clients = await runningStackClients(endpoint, holder);
      process.stderr.write(`reprocess: using the running local stack at ${endpoint}\n`);
    } else {
      stack = await startLocalStack({ dataDir, edgePort: 0, recover: false });
      clients = reprocessClients(stack);
    }
    const { sfn, s3, stateMachineArn } = clients;
    const summary = await runReprocess({ sfn, s3 }, stateMachineArn, {
      version: flags.version,
      where: flags.where,
      ...(maxConcurrency === undefined ? {} : { maxConcurrency }),
    });
    sfn.destroy();
    s3.destroy();
    if (flags.json) out(JSON.stringify(summary, null, 2));
    else {
      out(`reprocess ${summary.version} where ${summary.where}: ${summary.status} in ${summary.seconds.toFixed(1)} s`);
      out(`  selected ${summary.selected} (already at ${summary.version}: ${summary.alreadyCurrent})`);
      out(
        `  reprocessed ${summary.reprocessed} (stored variants reused: ${summary.reusedResize}), skipped ${summary.skipped}, failed ${summary.failed}`,
      );
      if (summary.resultsManifest) out(`  results: ${summary.resultsManifest}`);
      if (summary.error) out(`  error: ${summary.error.name}: ${summary.error.cause}`);
    }
    return summary.status === 'SUCCEEDED' ? 0 : 1;
  } catch (err) {
    if (err instanceof UnreachableStackError) {
      process.stderr.write(`reprocess: ${err.message}; nothing was started.\n`);
      return 2;
    }
    process.stderr.write(`reprocess: internal error: ${(err as Error).stack ?? String(err)}\n`);
    return 2;
  } finally {
    await stack?.stop();
  }
}

if (require.main === module) {
  reprocessCommand(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`${(err as Error).stack}\n`);
      process.exit(2);
    },
  );
}
