import type { Context } from 'aws-lambda';
import { logger, s3 } from './clients';
import { loadConfig } from './config';
import { parseResizeInput } from './input';
import { resizeImage } from './resize-image';
import { s3ObjectStore } from './s3-store';
import type { ResizeOutput } from './types';

const settings = loadConfig();
const store = s3ObjectStore(s3);

/**
 * ResizeImage step: validates the state, runs the core and returns pointers (never bytes).
 * @throws InvalidResizeInputError, SourceNotFoundError, ImageTooLargeError, UnsupportedImageTypeError, CorruptImageError
 * (caught into RecordFailure); S3 throttling errors such as SlowDown (retried by the state machine).
 */
export const handler = async (event: unknown, context?: Context): Promise<ResizeOutput> => {
  if (context) logger.addContext(context);
  const input = parseResizeInput(event);
  const executionArn = (event as { executionArn?: unknown }).executionArn;
  logger.appendKeys({
    imageId: input.imageId,
    bucket: input.source.bucket,
    key: input.source.key,
    ...(typeof executionArn === 'string' ? { executionArn } : {}),
  });
  try {
    const result = await resizeImage(input, { store, settings, log: logger });
    logger.info('Image resized', { format: result.image.format, variants: result.variants.length, analysable: result.analysable });
    return result;
  } catch (error) {
    logger.warn('Image refused or failed', { error: (error as Error).name, message: (error as Error).message });
    throw error;
  } finally {
    logger.removeKeys(['imageId', 'bucket', 'key', 'executionArn']);
  }
};
