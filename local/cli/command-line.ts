import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * Reads a command's flags and arguments with node:util's parseArgs in strict mode, so an unknown flag or a flag
 * without its value is a mistake, not silently ignored. On a mistake it writes the error and the usage to stderr and
 * returns undefined; the command then exits 2.
 */
export function parseCommandLine<const T extends Omit<ParseArgsConfig, 'strict'>>(
  command: string,
  usage: string,
  config: T,
): ReturnType<typeof parseArgs<T & { strict: true }>> | undefined {
  try {
    return parseArgs({ ...config, strict: true });
  } catch (error) {
    process.stderr.write(`${command}: ${(error as Error).message}\n${usage}\n`);
    return undefined;
  }
}

/** True, after printing the usage on stdout, when the command line asked for `--help` (the command then exits 0). */
export function printedHelp(values: { help?: unknown }, usage: string): boolean {
  if (values.help !== true) return false;
  process.stdout.write(`${usage}\n`);
  return true;
}
