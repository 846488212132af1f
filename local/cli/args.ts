/** Command-line flags and positional arguments. */
export interface ParsedArgs {
  flags: Record<string, string | boolean>;
  positional: string[];
}

/**
 * Parses `--flag`, `--flag value` (for the names in `withValue`), `--flag=value` and positionals; `--` ends flags.
 * @throws Error when a flag that needs a value has none.
 */
export function parseArgs(argv: readonly string[], withValue: readonly string[] = []): ParsedArgs {
  const flags: Record<string, string | boolean> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq > 0 ? eq : undefined);
    if (eq > 0) flags[name] = arg.slice(eq + 1);
    else if (withValue.includes(name)) {
      const value = argv[i + 1];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      flags[name] = value;
      i += 1;
    } else flags[name] = true;
  }
  return { flags, positional };
}
