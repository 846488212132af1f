import { recordBytesSaved, withHandler } from '@smart-image-pipeline/lambda-kit';
import { powertools, s3 } from './clients';
import { loadConfig } from './config';
import { parseResizeInput } from './input';
import { bytesSaved } from './plan';
import { resizeUpload } from './resize-image';
import { s3ObjectStore } from './s3-store';

const settings = loadConfig();
const store = s3ObjectStore(s3);

/**
 * ResizeImage step: validates the state, runs the core and returns pointers (never bytes); a video gets the empty
 * result that routes it to the video branch. A stored result ResolveVersion matched to the version is returned as is.
 * @throws InvalidResizeInputError, SourceNotFoundError, ImageTooLargeError, UnsupportedImageTypeError, CorruptImageError
 * (caught into RecordFailure); S3 throttling errors such as SlowDown (retried by the state machine).
 */
export const handler = withHandler(powertools, {
  step: 'resize',
  parse: parseResizeInput,
  logKeys: (input) => ({ imageId: input.imageId, bucket: input.source.bucket, key: input.source.key, executionArn: input.executionArn }),
  run: async (input, { logger, metrics }) => {
    if (input.storedResize) {
      // A reprocess run whose version writes the same variants: the stored outputs stand, nothing is read or written.
      logger.info('Stored resize result reused', { variants: input.storedResize.variants.length });
      return input.storedResize;
    }
    const result = await resizeUpload(input, { store, settings, log: logger });
    if (result.mediaType === 'video') {
      logger.info('Video recognised; handed to the video branch');
      return result;
    }
    recordBytesSaved(metrics, bytesSaved(result));
    logger.info('Image resized', { format: result.image.format, variants: result.variants.length, analysable: result.analysable });
    return result;
  },
});
