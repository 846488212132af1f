import { S3Client } from '@aws-sdk/client-s3';
import { composeThumbnailsInputSchema, isObject, parseWith } from '@smart-image-pipeline/contracts';
import { createPowertools, withHandler } from '@smart-image-pipeline/lambda-kit';
import { InvalidVideoInputError } from './errors';
import { composeThumbnails } from './compose';
import { s3FrameStore } from './s3-frame-store';

const powertools = createPowertools();
const store = s3FrameStore(powertools.tracer.captureAWSv3Client(new S3Client({})));

/**
 * ComposeVideoThumbnails step: the sprite sheet and the poster from the transcode's frame captures (`$.videoOutputs`).
 * @throws InvalidVideoInputError, VideoTranscodeFailedError (not retried); S3 throttling and 5xx (retried).
 */
export const handler = withHandler(powertools, {
  parse: (event: unknown) => ({
    ...parseWith(
      composeThumbnailsInputSchema,
      event,
      (problems) => new InvalidVideoInputError(`Invalid ComposeVideoThumbnails input: ${problems.join('; ')}`),
    ),
    sourceOrder: isObject(event) && typeof event.sourceOrder === 'string' ? event.sourceOrder : undefined,
  }),
  logKeys: (input) => ({ imageId: input.imageId, executionArn: input.executionArn }),
  run: async (input, { logger }) => {
    const outputs = await composeThumbnails(input, store);
    logger.info('Thumbnails composed', { frames: outputs.sprite?.count, poster: outputs.poster?.key });
    return outputs;
  },
});
