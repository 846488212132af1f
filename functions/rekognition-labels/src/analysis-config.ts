import { checkAnalysisConfig, isObject } from '@smart-image-pipeline/contracts';
import { InvalidConfigError } from './errors';
import type { AnalysisConfig } from './types';

export { DEFAULT_ANALYSIS_CONFIG } from '@smart-image-pipeline/contracts';

/**
 * Parses and validates the SSM config JSON against the contracts' analysis-config schema, filling in its
 * defaults for absent keys. Unknown keys are refused too, so a typo such as "detectface" fails loudly instead of
 * silently keeping the default.
 * @throws InvalidConfigError listing every problem found.
 */
export function parseAnalysisConfig(raw: string | undefined, source: string): AnalysisConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ?? '');
  } catch (error) {
    throw new InvalidConfigError(`Config in ${source} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isObject(parsed)) throw new InvalidConfigError(`Config in ${source} must be a JSON object`);
  const checked = checkAnalysisConfig(parsed);
  if (checked.problems) throw new InvalidConfigError(`Invalid config in ${source}: ${checked.problems.join('; ')}`);
  return checked.config;
}
