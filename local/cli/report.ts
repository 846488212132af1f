import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AnalyticsInputError } from '@smart-image-pipeline/contracts';
import { parseWindow, summarise, summaryCsv, summaryLines } from '../analytics/report';
import { parseCommandLine } from './command-line';

const USAGE = `Usage: npm run report -- [--since 7d] [--version v2|unknown] [--csv FILE] [--data-dir DIR]
Prints the analytics summary of the local facts (the API's analytics queries, run with DuckDB).
Exit code: 0 printed, 2 bad arguments or error.`;

/** `npm run report`: the summary over LOCAL_DATA_DIR (default .local) or --data-dir. @returns the exit code. */
export async function runReport(
  argv: readonly string[],
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<number> {
  const parsed = parseCommandLine('report', USAGE, {
    args: [...argv],
    options: {
      since: { type: 'string', default: '7d' },
      version: { type: 'string' },
      csv: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (!parsed) return 2;
  const { values: flags } = parsed;
  if (flags.help) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  let days: number;
  try {
    days = parseWindow(flags.since);
  } catch (error) {
    process.stderr.write(`report: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const dataDir = resolve(flags['data-dir'] ?? process.env.LOCAL_DATA_DIR ?? '.local');
  let summary;
  try {
    summary = await summarise({ dataDir, days, version: flags.version });
  } catch (error) {
    if (!(error instanceof AnalyticsInputError)) throw error;
    process.stderr.write(`report: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  for (const line of summaryLines(summary)) out(line);
  if (flags.csv) {
    await writeFile(resolve(flags.csv), summaryCsv(summary));
    out(`CSV written to ${resolve(flags.csv)}`);
  }
  return 0;
}

if (require.main === module) {
  runReport(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`report: ${(err as Error).message}\n`);
      process.exit(2);
    },
  );
}
