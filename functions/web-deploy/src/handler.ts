import { withHandler } from '@smart-image-pipeline/lambda-kit';
import { powertools, s3 } from './clients';
import { loadConfig } from './config';
import { parseWebDeploymentRequest, sendResponse } from './custom-resource';
import { deleteSite, deploySite } from './deploy-site';

// Read at cold start so a missing variable fails the first invocation loudly, not a later one.
const config = loadConfig();
const deps = { s3, bucket: config.webBucketName, siteDir: config.siteDir };

/**
 * The WebDeployment custom resource: on Create and Update writes the console and its config.json into the web
 * bucket, on Delete empties it. It always answers CloudFormation (SUCCESS or FAILED with the reason), so a deploy
 * never waits for the custom resource's one-hour timeout.
 * @throws InvalidCustomResourceEventError when the event has no ResponseURL to answer.
 */
export const handler = withHandler(powertools, {
  parse: parseWebDeploymentRequest,
  run: async (request, { logger }) => {
    const physicalResourceId = `web-site-${config.webBucketName}`;
    const answer = {
      PhysicalResourceId: physicalResourceId,
      StackId: request.stackId,
      RequestId: request.requestId,
      LogicalResourceId: request.logicalResourceId,
    };
    try {
      if (request.configError) throw request.configError;
      if (request.requestType === 'Delete') {
        // A replaced resource's Delete names the old bucket's id; that bucket is no longer ours to empty.
        const deleted = request.physicalResourceId === physicalResourceId ? await deleteSite(deps) : 0;
        logger.info('Emptied the web bucket', { deleted });
      } else {
        const written = await deploySite(request.config!, deps);
        logger.info('Deployed the console', { files: written.length });
      }
      await sendResponse(request.responseUrl, { ...answer, Status: 'SUCCESS', Reason: 'OK' });
      return { status: 'SUCCESS' };
    } catch (error) {
      logger.error('Web deployment failed', { error: (error as Error).name, reason: (error as Error).message });
      await sendResponse(request.responseUrl, {
        ...answer,
        Status: 'FAILED',
        Reason: `${(error as Error).name}: ${(error as Error).message}`.slice(0, 1000),
      });
      return { status: 'FAILED' };
    }
  },
});
