import type { Context } from 'aws-lambda';
import { analyseImage } from './analyse-image';
import { createAwsDeps } from './aws-deps';
import { logger, rekognition, s3, ssmProvider } from './clients';
import { loadEnvironment } from './config';
import { parseAnalyseImageInput } from './parse-input';
import type { AnalysisSummary } from './types';

// Read at cold start, so a missing variable fails the first invocation loudly, not halfway through.
const deps = createAwsDeps({ rekognition, s3, ssmProvider, env: loadEnvironment(), logger });

/**
 * The AnalyseImage task: Rekognition on the analysis image, raw responses to S3, summary to the state.
 * @throws InvalidAnalysisInputError, InvalidConfigError, InvalidAnalysisImageError (not retried);
 * ThrottlingException, ProvisionedThroughputExceededException, InternalServerError,
 * ServiceUnavailableException (retried by the state machine).
 */
export const handler = async (event: unknown, context?: Context): Promise<AnalysisSummary> => {
  if (context) logger.addContext(context);
  const input = parseAnalyseImageInput(event);
  const { imageId, image, executionArn } = input;
  logger.appendKeys({ imageId, bucket: image.bucket, key: image.key, ...(executionArn ? { executionArn } : {}) });
  try {
    const summary = await analyseImage(input, deps);
    logger.info('image analysed', { calls: summary.calls, skipped: summary.skipped, labels: summary.labels.length });
    return summary;
  } finally {
    logger.resetKeys();
  }
};
