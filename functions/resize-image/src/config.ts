import { DEFAULT_VARIANT_WIDTHS, EnvironmentReader } from '@smart-image-pipeline/contracts';
import type { ResizeSettings } from './types';

const DEFAULT_MAX_INPUT_BYTES = 104_857_600;
const DEFAULT_MAX_INPUT_PIXELS = 100_000_000;

/**
 * Reads the ResizeImage settings from the environment (the only reader of process.env).
 * @throws ConfigurationError naming every missing or malformed variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<ResizeSettings> {
  const read = new EnvironmentReader(env);
  const settings: ResizeSettings = {
    processedBucketName: read.required('PROCESSED_BUCKET_NAME'),
    maxInputBytes: read.positiveInteger('MAX_INPUT_BYTES', DEFAULT_MAX_INPUT_BYTES),
    maxInputPixels: read.positiveInteger('MAX_INPUT_PIXELS', DEFAULT_MAX_INPUT_PIXELS),
    variantWidths: read.widths('VARIANT_WIDTHS', DEFAULT_VARIANT_WIDTHS),
    keepGps: read.flag('KEEP_GPS'),
    allowSvg: read.flag('ALLOW_SVG'),
  };
  read.done();
  return Object.freeze({
    ...settings,
    variantWidths: Object.freeze([...settings.variantWidths]) as number[],
  });
}
