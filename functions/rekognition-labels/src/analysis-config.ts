import {
  checkPipelineConfig,
  DEFAULT_VARIANT_WIDTHS,
  isObject,
  requirePipelineVersion,
  type PipelineConfig,
} from '@smart-image-pipeline/contracts';
import { InvalidConfigError } from './errors';
import type { AnalysisConfig } from './types';

export { DEFAULT_ANALYSIS_CONFIG } from '@smart-image-pipeline/contracts';

/**
 * Parses and validates the SSM config JSON (the flat form, which is version v1, or the versions form) against the
 * contracts' schema, filling in the defaults for absent keys. Unknown keys are refused too, so a typo such as
 * "detectface" fails loudly instead of silently keeping the default. Analysis ignores variant widths, so the
 * defaults serve for versions that name none.
 * @throws InvalidConfigError listing every problem found.
 */
export function parsePipelineConfig(raw: string | undefined, source: string): PipelineConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ?? '');
  } catch (error) {
    throw new InvalidConfigError(`Config in ${source} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isObject(parsed)) throw new InvalidConfigError(`Config in ${source} must be a JSON object`);
  const checked = checkPipelineConfig(parsed, DEFAULT_VARIANT_WIDTHS);
  if (checked.problems) throw new InvalidConfigError(`Invalid config in ${source}: ${checked.problems.join('; ')}`);
  return checked.config;
}

/**
 * The analysis settings of one version of a parsed config (the current one when `requested` is absent).
 * @throws UnknownPipelineVersionError when the config holds no such version.
 */
export function analysisConfigOf(config: PipelineConfig, requested?: string): AnalysisConfig {
  return requirePipelineVersion(config, requested).settings.analysis;
}

/**
 * The current version's analysis settings of the SSM config JSON.
 * @throws InvalidConfigError listing every problem found.
 */
export function parseAnalysisConfig(raw: string | undefined, source: string): AnalysisConfig {
  return analysisConfigOf(parsePipelineConfig(raw, source));
}
