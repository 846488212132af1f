import { recordRekognitionCalls, recordRekognitionPerImage, withHandler } from '@smart-image-pipeline/lambda-kit';
import { analyseImage } from './analyse-image';
import { createAwsDeps } from './aws-deps';
import { dynamodb, powertools, rekognition, s3, ssmProvider } from './clients';
import { loadConfig } from './config';
import { parseAnalyseImageInput } from './parse-input';

// Read at cold start, so a missing variable fails the first invocation loudly, not halfway through.
const deps = createAwsDeps({ rekognition, s3, ssmProvider, dynamodb, env: loadConfig(), logger: powertools.logger });

/**
 * The AnalyseImage task: the registry's detectors on the analysis image, raw responses to S3, summary to the state.
 * @throws InvalidAnalysisInputError, InvalidConfigError, InvalidAnalysisImageError (not retried);
 * ThrottlingException, ProvisionedThroughputExceededException, InternalServerError,
 * ServiceUnavailableException (retried by the state machine).
 */
export const handler = withHandler(powertools, {
  step: 'analyse',
  parse: parseAnalyseImageInput,
  logKeys: ({ imageId, image, executionArn }) => ({ imageId, bucket: image.bucket, key: image.key, executionArn }),
  run: async (input, { logger, metrics }) => {
    const summary = await analyseImage(input, deps);
    recordRekognitionCalls(metrics, summary.calls);
    recordRekognitionPerImage(metrics, summary.calls.length, Object.keys(summary.skipped).length);
    logger.info('image analysed', {
      calls: summary.calls,
      skipped: summary.skipped,
      sections: Object.keys(summary.sections),
      reusedFrom: summary.reusedFrom?.imageId,
    });
    return summary;
  },
});
