import { DEFAULT_ANALYSIS_CONFIG, parseAnalysisConfig } from './analysis-config';
import { InvalidConfigError } from './errors';
import type { AnalysisConfig } from './types';

/** Reads the raw parameter value, served from a cache younger than `maxAgeSeconds` when there is one. */
export type FetchParameter = (name: string, maxAgeSeconds: number) => Promise<string | undefined>;

/**
 * Returns a loader for the analysis config. The cache lives in the fetcher (Powertools parameters), so
 * SSM is read once per cold start and then at most once per `cacheSeconds`; the first read uses the
 * default because the configured value is only known after it.
 * @throws InvalidConfigError (from the loader) when the parameter is missing or invalid; SSM's own
 * throttling and 5xx errors surface under their SDK names so the state machine retries them.
 */
export function createConfigLoader(fetchParameter: FetchParameter, parameterName: string): () => Promise<AnalysisConfig> {
  let maxAgeSeconds = DEFAULT_ANALYSIS_CONFIG.cacheSeconds;
  let last: { raw: string; config: AnalysisConfig } | undefined;
  return async () => {
    const raw = await fetchParameter(parameterName, maxAgeSeconds).catch((error: unknown) => {
      throw unwrapParameterError(error, parameterName);
    });
    if (raw === undefined) throw new InvalidConfigError(`SSM parameter ${parameterName} has no value`);
    if (last?.raw === raw) return last.config;
    const config = parseAnalysisConfig(raw, `SSM parameter ${parameterName}`);
    last = { raw, config };
    maxAgeSeconds = config.cacheSeconds;
    return config;
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
