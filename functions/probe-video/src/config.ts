import { DEFAULT_VIDEO_LIMITS, EnvironmentReader, type VideoLimits } from '@smart-image-pipeline/contracts';
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
  const read = new EnvironmentReader(env);
  const processedBucketName = read.required('PROCESSED_BUCKET_NAME');
  const hlsEnabled = read.flag('ENABLE_HLS');
  const limits: VideoLimits = {
    ...DEFAULT_VIDEO_LIMITS,
    maxBytes: read.positiveInteger('MAX_VIDEO_BYTES', DEFAULT_VIDEO_LIMITS.maxBytes),
    maxDurationSeconds: read.positiveInteger('MAX_VIDEO_SECONDS', DEFAULT_VIDEO_LIMITS.maxDurationSeconds),
    maxPixels: read.positiveInteger('MAX_VIDEO_PIXELS', DEFAULT_VIDEO_LIMITS.maxPixels),
    maxAnalysisMinutes: read.positiveInteger('VIDEO_ANALYSIS_MAX_MINUTES', DEFAULT_VIDEO_LIMITS.maxAnalysisMinutes),
  };
  read.done();
  return Object.freeze({
    processedBucketName,
    maxAnalysisMinutes: limits.maxAnalysisMinutes,
    hlsEnabled,
    limits: Object.freeze(limits),
  });
}
