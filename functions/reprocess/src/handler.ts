import { PutObjectCommand } from '@aws-sdk/client-s3';
import { isObject, parseReprocessRequest, reprocessClaimSeconds, type ReprocessRequest } from '@smart-image-pipeline/contracts';
import { withHandler } from '@smart-image-pipeline/lambda-kit';
import { documentClient, powertools, s3 } from './clients';
import { loadConfig } from './config';
import { InvalidReprocessRequestError } from './errors';
import { releaseClaim } from './claim-image';
import { prepareImage, type PrepareDeps } from './prepare-image';
import { selectImages, type SelectDeps } from './select-images';

// Read at cold start so a missing variable fails the first invocation loudly, not a later one.
const config = loadConfig();
const selectDeps: SelectDeps = {
  db: documentClient,
  tableName: config.imagesTableName,
  bucket: config.manifestBucketName,
  putManifest: async (key, body) => {
    await s3.send(new PutObjectCommand({ Bucket: config.manifestBucketName, Key: key, Body: body, ContentType: 'application/x-ndjson' }));
  },
};
const prepareDeps: PrepareDeps = {
  db: documentClient,
  tableName: config.imagesTableName,
  pinnedVersions: new Map(),
  now: () => new Date(),
  claimSeconds: reprocessClaimSeconds(config.reviewTimeoutSeconds),
};

type Request =
  | { action: 'select'; request: ReprocessRequest; runName: string }
  | { action: 'prepare' | 'release'; imageId: string; version: string; runName: string };

function parse(event: unknown): Request {
  const input = isObject(event) ? event : {};
  const runName = typeof input.runName === 'string' ? input.runName : '';
  if (runName === '') throw new InvalidReprocessRequestError('"runName" (the reprocess execution name) is required');
  if (input.action === 'select') return { action: 'select', request: parseReprocessRequest(input.request), runName };
  if (
    (input.action === 'prepare' || input.action === 'release') &&
    typeof input.imageId === 'string' &&
    typeof input.version === 'string'
  ) {
    return { action: input.action, imageId: input.imageId, version: input.version, runName };
  }
  throw new InvalidReprocessRequestError(
    '"action" must be "select" (with version and where), or "prepare" or "release" (with imageId and version)',
  );
}

/**
 * The reprocess state machine's Lambda steps: `select` writes the manifest of a selection, `prepare` turns one
 * manifest line into a pipeline run of the target version (or a skip), `release` gives an image's claim back after
 * its pipeline run failed.
 * @throws InvalidReprocessRequestError, UnknownPipelineVersionError (not retried).
 */
export const handler = withHandler(powertools, {
  parse,
  run: async (request, { logger }) => {
    if (request.action === 'select') {
      const result = await selectImages(request.request, request.runName, selectDeps);
      logger.info('reprocess selection written', { ...result, where: request.request.selection });
      return result;
    }
    if (request.action === 'release') {
      const released = await releaseClaim(request, prepareDeps);
      logger.info('reprocess claim released after a failed pipeline run', { imageId: request.imageId, version: request.version, released });
      return { released };
    }
    return prepareImage(request.imageId, request.version, request.runName, prepareDeps);
  },
});
