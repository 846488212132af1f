import { DEFAULT_VARIANT_WIDTHS } from '@smart-image-pipeline/contracts';
import { ConfigurationError } from './errors';

/** Settings of ResolveVersion, read once per cold start. */
export interface ResolveVersionConfig {
  readonly configParameterName: string;
  readonly imagesTableName: string;
  readonly defaultWidths: readonly number[];
}

/**
 * Reads ResolveVersion's settings from the environment (the only reader of `process.env`).
 * @throws ConfigurationError naming every missing or invalid variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ResolveVersionConfig {
  const problems: string[] = ['CONFIG_PARAMETER_NAME', 'IMAGES_TABLE_NAME'].filter((name) => (env[name]?.trim() ?? '') === '');
  const widthsRaw = env.VARIANT_WIDTHS?.trim();
  const widths = widthsRaw ? widthsRaw.split(',').map((part) => Number(part.trim())) : [...DEFAULT_VARIANT_WIDTHS];
  if (widths.some((width) => !Number.isSafeInteger(width) || width <= 0 || width > 16_383)) {
    problems.push(`VARIANT_WIDTHS must be comma-separated integers 1..16383, got "${widthsRaw}"`);
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return Object.freeze({
    configParameterName: String(env.CONFIG_PARAMETER_NAME).trim(),
    imagesTableName: String(env.IMAGES_TABLE_NAME).trim(),
    defaultWidths: Object.freeze([...new Set(widths)].sort((a, b) => a - b)),
  });
}
