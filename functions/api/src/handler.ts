import { randomUUID } from 'node:crypto';
import { withHandler } from '@smart-image-pipeline/lambda-kit';
import { UPLOAD_CONTENT_TYPES, type ApiDeps } from './api-deps';
import { createAthenaFactsEngine } from './analytics/athena-facts';
import { createApi } from './api';
import { createTokenVerifier } from './auth/token-verifier';
import { athena, documents, powertools, s3, sfn } from './clients';
import { loadConfig } from './config';
import { parseApiEvent } from './http/api-request';
import { DynamoImageIndex } from './images/dynamo-image-index';

// Read at cold start so a missing variable fails the first invocation loudly, not a later one.
const config = loadConfig();

const deps: ApiDeps = {
  s3,
  documents,
  sfn,
  index: new DynamoImageIndex(documents, config.imagesTableName),
  // 12 s leaves the function (15 s) time to answer a clear error instead of timing out.
  analytics: createAthenaFactsEngine(athena, {
    workGroup: config.analyticsWorkGroup,
    database: config.analyticsDatabase,
    timeoutMs: 12_000,
  }),
  verifier: createTokenVerifier({ issuer: config.userPoolIssuer, clientId: config.userPoolClientId }),
  resources: {
    uploadsBucket: config.uploadsBucketName,
    processedBucket: config.processedBucketName,
    tableName: config.imagesTableName,
    stateMachineArn: config.stateMachineArn,
  },
  limits: { maxBytes: config.maxUploadBytes, contentTypes: UPLOAD_CONTENT_TYPES },
  logger: powertools.logger,
  now: () => new Date(),
  uuid: randomUUID,
};
const api = createApi(deps);

/**
 * Answers one API Gateway HTTP API request (payload 2.0): the web app's uploads, search, image detail and failures,
 * and the runs for admins. Every caller mistake is a 4xx answer with a reason, never a thrown error.
 * @throws InvalidApiEventError when invoked with anything but an API Gateway request.
 */
export const handler = withHandler(powertools, {
  parse: parseApiEvent,
  run: (request) => api.handle(request),
});
