import type { PipelineConfig } from '@smart-image-pipeline/contracts';
import { analysisConfigOf, DEFAULT_ANALYSIS_CONFIG, parsePipelineConfig } from './analysis-config';
import { InvalidConfigError } from './errors';
import type { AnalysisConfig } from './types';

/** Reads the raw parameter value, served from a cache younger than `maxAgeSeconds` when there is one. */
export type FetchParameter = (name: string, maxAgeSeconds: number) => Promise<string | undefined>;

/**
 * Returns a loader for the analysis config. The cache lives in the fetcher (Powertools parameters), so
 * SSM is read once per cold start and then at most once per `cacheSeconds`; the first read uses the
 * default because the configured value is only known after it.
 * The loader takes the run's pipeline version (absent = the config's current one).
 * @throws InvalidConfigError (from the loader) when the parameter is missing or invalid; UnknownPipelineVersionError
 * when it holds no such version; SSM's own
 * throttling and 5xx errors surface under their SDK names so the state machine retries them.
 */
export function createConfigLoader(
  fetchParameter: FetchParameter,
  parameterName: string,
): (pipelineVersion?: string) => Promise<AnalysisConfig> {
  let maxAgeSeconds = DEFAULT_ANALYSIS_CONFIG.cacheSeconds;
  let last: { raw: string; config: PipelineConfig } | undefined;
  return async (pipelineVersion) => {
    const raw = await fetchParameter(parameterName, maxAgeSeconds).catch((error: unknown) => {
      throw unwrapParameterError(error, parameterName);
    });
    if (raw === undefined) throw new InvalidConfigError(`SSM parameter ${parameterName} has no value`);
    if (last?.raw !== raw) {
      const config = parsePipelineConfig(raw, `SSM parameter ${parameterName}`);
      last = { raw, config };
      maxAgeSeconds = analysisConfigOf(config).cacheSeconds;
    }
    return analysisConfigOf(last.config, pipelineVersion);
  };
}

/** Powertools wraps every SDK failure in `GetParameterError`; the ASL needs the original name. */
function unwrapParameterError(error: unknown, parameterName: string): unknown {
  const cause = error instanceof Error && error.name === 'GetParameterError' ? error.cause : undefined;
  const original = cause instanceof Error ? cause : error;
  if (original instanceof Error && original.name === 'ParameterNotFound') {
    return new InvalidConfigError(`SSM parameter ${parameterName} not found`, { cause: original });
  }
  return original;
}
