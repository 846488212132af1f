import { recordRekognitionCalls, recordStepDuration, withHandler } from '@smart-image-pipeline/lambda-kit';
import { collectVideoAnalysis, startVideoAnalysis, type VideoAnalysisDeps } from './analyse-video';
import { configReader, powertools, putJson, rekognition } from './clients';
import { loadConfig } from './config';
import { parseVideoAnalysisRequest } from './parse-input';

const env = loadConfig();
const deps: VideoAnalysisDeps = {
  rekognition,
  putJson,
  config: configReader(env.configParameterName),
  processedBucketName: env.processedBucketName,
  now: () => new Date(),
};

/**
 * StartVideoAnalysis (`action: start`: starts the Rekognition Video jobs) and CollectVideoAnalysis (`action: collect`:
 * polls them and, once done, returns the summary with time segments).
 * @throws InvalidVideoInputError, InvalidConfigError, VideoAnalysisFailedError, VideoAnalysisTimedOutError (not retried);
 * Rekognition's ThrottlingException, LimitExceededException, InternalServerError (retried by the state machine).
 */
export const handler = withHandler(powertools, {
  parse: parseVideoAnalysisRequest,
  logKeys: ({ input }) => ({ imageId: input.imageId, executionArn: input.executionArn }),
  run: async (request, { logger, metrics }) => {
    if (request.action === 'start') {
      const started = await startVideoAnalysis(request.input, deps);
      logger.info('Video analysis started', { ...started.jobs });
      return started;
    }
    const result = await collectVideoAnalysis(request.input, deps);
    if (result.summary) {
      recordRekognitionCalls(metrics, result.summary.calls);
      // The video analysis step's time spans the polling loop, so it is measured here, not by withHandler's `step`.
      if (result.durationMs !== null) recordStepDuration(metrics, 'videoAnalysis', result.durationMs);
      logger.info('Video analysis collected', { polls: result.polls, labels: result.summary.sections.labels?.items.length ?? 0 });
    }
    return result;
  },
});
