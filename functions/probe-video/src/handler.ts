import { withHandler } from '@smart-image-pipeline/lambda-kit';
import type { ProbeVideoOutput } from '@smart-image-pipeline/contracts';
import { powertools, s3 } from './clients';
import { loadConfig } from './config';
import { parseProbeInput } from './parse-input';
import { planVideo } from './plan';
import { probeVideo } from './probe';
import { s3RangeSource } from './s3-source';

const config = loadConfig();

/**
 * ProbeVideo step: reads the upload's container header by byte ranges, refuses what the limits exclude, and plans
 * the MediaConvert jobs (the state's `$.video`).
 * @throws InvalidVideoInputError, SourceNotFoundError, UnsupportedVideoFormatError, VideoTooLargeError, VideoTooLongError,
 * CorruptVideoError, NoVideoStreamError (caught into RecordFailure); S3 throttling and 5xx (retried).
 */
export const handler = withHandler(powertools, {
  parse: parseProbeInput,
  logKeys: (input) => ({ imageId: input.imageId, bucket: input.source.bucket, key: input.source.key, executionArn: input.executionArn }),
  run: async (input, { logger }): Promise<ProbeVideoOutput> => {
    const facts = await probeVideo(await s3RangeSource(s3, input.source), config.limits);
    const plan = planVideo(input, facts, config);
    logger.info('Video probed', {
      container: facts.container,
      codec: facts.videoCodec,
      seconds: facts.durationSeconds,
      width: facts.width,
      height: facts.height,
      headerBytesRead: facts.headerBytesRead,
      clipped: plan.analysis.clipped,
    });
    return { facts, plan };
  },
});
