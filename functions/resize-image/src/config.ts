import { ConfigurationError } from './errors';
import type { ResizeSettings } from './types';

const DEFAULT_MAX_INPUT_BYTES = 104_857_600;
const DEFAULT_MAX_INPUT_PIXELS = 100_000_000;
const DEFAULT_VARIANT_WIDTHS = [256, 1024, 2048];

/**
 * Reads the ResizeImage settings from the environment (the only reader of process.env).
 * @throws ConfigurationError naming every missing or malformed variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<ResizeSettings> {
  const problems: string[] = [];
  const processedBucketName = env.PROCESSED_BUCKET_NAME?.trim() ?? '';
  if (!processedBucketName) problems.push('PROCESSED_BUCKET_NAME is required');

  const positiveInt = (name: string, fallback: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value <= 0) {
      problems.push(`${name} must be a positive integer, got "${raw}"`);
      return fallback;
    }
    return value;
  };

  const widthsRaw = env.VARIANT_WIDTHS?.trim();
  let variantWidths = DEFAULT_VARIANT_WIDTHS;
  if (widthsRaw) {
    const parsed = widthsRaw.split(',').map((part) => Number(part.trim()));
    if (parsed.some((w) => !Number.isSafeInteger(w) || w <= 0 || w > 16_383)) {
      problems.push(`VARIANT_WIDTHS must be comma-separated integers 1..16383, got "${widthsRaw}"`);
    } else {
      variantWidths = [...new Set(parsed)].sort((a, b) => a - b);
    }
  }

  const flag = (name: string): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (!raw) return false;
    if (raw === 'true' || raw === '1') return true;
    if (raw !== 'false' && raw !== '0') problems.push(`${name} must be true or false, got "${raw}"`);
    return false;
  };

  const settings: ResizeSettings = {
    processedBucketName,
    maxInputBytes: positiveInt('MAX_INPUT_BYTES', DEFAULT_MAX_INPUT_BYTES),
    maxInputPixels: positiveInt('MAX_INPUT_PIXELS', DEFAULT_MAX_INPUT_PIXELS),
    variantWidths,
    keepGps: flag('KEEP_GPS'),
    allowSvg: flag('ALLOW_SVG'),
  };
  if (problems.length > 0) throw new ConfigurationError(problems);
  return Object.freeze({
    ...settings,
    variantWidths: Object.freeze([...settings.variantWidths]) as number[],
  });
}
