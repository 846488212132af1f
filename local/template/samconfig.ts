import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'smol-toml';

/** What local mode takes from samconfig.toml: the stack name and the parameter overrides. */
export interface SamConfig {
  stackName?: string;
  parameterOverrides: Record<string, string>;
}

/** The samconfig.toml environments local mode reads, later ones on top: what deploys, then the local tuning. */
export const LOCAL_CONFIG_ENVIRONMENTS = ['default', 'local'];

/**
 * Reads the given environments of a samconfig.toml (in each, deploy over global parameters; later environments
 * override earlier ones key by key); a missing file or environment gives no overrides.
 * @throws Error when the file exists but is not valid TOML.
 */
export function readSamConfig(path: string, environments: string[] = LOCAL_CONFIG_ENVIRONMENTS): SamConfig {
  if (!existsSync(path)) return { parameterOverrides: {} };
  const doc = parse(readFileSync(path, 'utf8')) as Record<string, Record<string, Record<string, Record<string, unknown>>>>;
  const config: SamConfig = { parameterOverrides: {} };
  for (const environment of environments) {
    const env = doc[environment] ?? {};
    // SAM lets the command section win over `global`; deploy is the one `sam deploy` uses.
    const merged = { ...(env.global?.parameters ?? {}), ...(env.deploy?.parameters ?? {}) };
    if (typeof merged.stack_name === 'string') config.stackName = merged.stack_name;
    Object.assign(config.parameterOverrides, parseParameterOverrides(merged.parameter_overrides));
  }
  return config;
}

/** Parses SAM's `parameter_overrides`: a `Key=Value Key2="with spaces"` string or an array of `Key=Value`. */
export function parseParameterOverrides(value: unknown): Record<string, string> {
  const pairs = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? splitShellWords(value) : [];
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq > 0) out[pair.slice(0, eq).replace(/^ParameterKey=/, '')] = pair.slice(eq + 1);
  }
  return out;
}

function splitShellWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | null = null;
  let inWord = false;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}
