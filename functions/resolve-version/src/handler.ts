import { isObject, reusableResize, UnknownPipelineVersionError } from '@smart-image-pipeline/contracts';
import { withHandler } from '@smart-image-pipeline/lambda-kit';
import { documentClient, powertools, ssmProvider } from './clients';
import { loadConfig } from './config';
import { resolveVersion, type ResolveDeps } from './resolve-version';
import type { ResolveVersionInput, ResolveVersionOutput } from './types';

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

/** The requested version (absent means the config's current one) and any stored resize result, from the state input. */
function parseInput(event: unknown): ResolveVersionInput {
  const fields: Record<string, unknown> = isObject(event) ? event : {};
  const requested = fields.pipelineVersion ?? undefined;
  if (requested !== undefined && typeof requested !== 'string') throw new UnknownPipelineVersionError(JSON.stringify(requested), []);
  return { pipelineVersion: requested, resize: fields.resize };
}

/**
 * The ResolveVersion task: the version this run uses, pinned in the table, with the variant widths it writes, and the
 * stored resize result a reprocess run brought when those widths make the same variants (so no Choice state is billed).
 * @throws InvalidConfigError, UnknownPipelineVersionError, PipelineVersionChangedError (none retried).
 */
export const handler = withHandler(powertools, {
  step: 'resolveVersion',
  parse: parseInput,
  run: async (input, { logger }): Promise<ResolveVersionOutput> => {
    const resolved = await resolveVersion(input.pipelineVersion, deps);
    const storedResize = reusableResize(input.resize, resolved.variantWidths);
    logger.info('pipeline version resolved', {
      pipelineVersion: resolved.name,
      fingerprint: resolved.fingerprint,
      reusesStoredResize: storedResize !== null,
    });
    return { ...resolved, storedResize };
  },
});
