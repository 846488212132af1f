import { isObject, UnknownPipelineVersionError } from '@smart-image-pipeline/contracts';
import { withHandler } from '@smart-image-pipeline/lambda-kit';
import { documentClient, powertools, ssmProvider } from './clients';
import { loadConfig } from './config';
import { resolveVersion, type ResolveDeps } from './resolve-version';

// Read at cold start so a missing variable fails the first invocation loudly, not a later one.
const config = loadConfig();
// The config is re-read at most once a minute, like the analysis step's; pinned versions are remembered per container.
const CONFIG_MAX_AGE_SECONDS = 60;
const deps: ResolveDeps = {
  fetchConfig: () => ssmProvider.get(config.configParameterName, { maxAge: CONFIG_MAX_AGE_SECONDS }),
  db: documentClient,
  tableName: config.imagesTableName,
  defaultWidths: config.defaultWidths,
  now: () => new Date(),
  pinned: new Map(),
};

/** The requested version from the state input: absent means the config's current one. */
function requestedVersion(event: unknown): string | undefined {
  const requested = isObject(event) ? event.pipelineVersion : undefined;
  if (requested === undefined || requested === null) return undefined;
  if (typeof requested !== 'string') throw new UnknownPipelineVersionError(JSON.stringify(requested), []);
  return requested;
}

/**
 * The ResolveVersion task: the version this run uses, pinned in the table, with the variant widths it writes.
 * @throws InvalidConfigError, UnknownPipelineVersionError, PipelineVersionChangedError (none retried).
 */
export const handler = withHandler(powertools, {
  parse: requestedVersion,
  run: async (requested, { logger }) => {
    const resolved = await resolveVersion(requested, deps);
    logger.info('pipeline version resolved', { pipelineVersion: resolved.name, fingerprint: resolved.fingerprint });
    return resolved;
  },
});
