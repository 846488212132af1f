import { DEFAULT_VIDEO_LIMITS, type VideoLimits } from '@smart-image-pipeline/contracts';
import { ConfigurationError } from './errors';
import type { PlanSettings } from './plan';

/** ProbeVideo's settings: the limits it checks and what the plan needs. */
export interface ProbeConfig extends PlanSettings {
  limits: VideoLimits;
}

/**
 * Reads the environment once (the only reader of process.env); unset limits take the contracts' defaults.
 * @throws ConfigurationError naming every missing or malformed variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<ProbeConfig> {
  const problems: string[] = [];
  const processedBucketName = env.PROCESSED_BUCKET_NAME?.trim() ?? '';
  if (!processedBucketName) problems.push('PROCESSED_BUCKET_NAME is required');
  const positive = (name: string, fallback: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value <= 0) {
      problems.push(`${name} must be a positive integer, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const hlsRaw = env.ENABLE_HLS?.trim().toLowerCase() ?? 'false';
  if (!['true', 'false'].includes(hlsRaw)) problems.push(`ENABLE_HLS must be true or false, got "${hlsRaw}"`);
  const limits: VideoLimits = {
    ...DEFAULT_VIDEO_LIMITS,
    maxBytes: positive('MAX_VIDEO_BYTES', DEFAULT_VIDEO_LIMITS.maxBytes),
    maxDurationSeconds: positive('MAX_VIDEO_SECONDS', DEFAULT_VIDEO_LIMITS.maxDurationSeconds),
    maxPixels: positive('MAX_VIDEO_PIXELS', DEFAULT_VIDEO_LIMITS.maxPixels),
    maxAnalysisMinutes: positive('VIDEO_ANALYSIS_MAX_MINUTES', DEFAULT_VIDEO_LIMITS.maxAnalysisMinutes),
  };
  if (problems.length > 0) throw new ConfigurationError(problems);
  return Object.freeze({
    processedBucketName,
    maxAnalysisMinutes: limits.maxAnalysisMinutes,
    hlsEnabled: hlsRaw === 'true',
    limits: Object.freeze(limits),
  });
}
