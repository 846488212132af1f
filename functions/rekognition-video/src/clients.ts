import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  checkPipelineConfig,
  DEFAULT_VARIANT_WIDTHS,
  requirePipelineVersion,
  type AnalysisConfig,
  type PipelineConfig,
} from '@smart-image-pipeline/contracts';
import { createPowertools } from '@smart-image-pipeline/lambda-kit';
import { InvalidConfigError } from './errors';

// Created once per cold start; endpoints come only from the SDK's AWS_ENDPOINT_URL* variables (local mode).
export const powertools = createPowertools();
const { tracer } = powertools;
// The state machine owns retries (backoff, jitter, visible in the history); one quick SDK retry absorbs a dropped connection.
export const rekognition = tracer.captureAWSv3Client(new RekognitionClient({ maxAttempts: 2 }));
const s3 = tracer.captureAWSv3Client(new S3Client({}));
const ssm = tracer.captureAWSv3Client(new SSMClient({}));

/** Writes a raw response as JSON with the retention tag. */
export async function putJson(bucket: string, key: string, body: unknown, tags: string): Promise<void> {
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(body), ContentType: 'application/json', Tagging: tags }),
  );
}

/**
 * The analysis thresholds of the run's pipeline version (absent: the config's current one) from the SSM parameter (the
 * same JSON the image analysis reads), cached per cold start for the current version's cacheSeconds.
 * @throws InvalidConfigError when the parameter is missing or invalid; UnknownPipelineVersionError when it holds no
 * such version.
 */
export function configReader(parameterName: string, now: () => number = Date.now): (pipelineVersion?: string) => Promise<AnalysisConfig> {
  let cached: { config: PipelineConfig; until: number } | undefined;
  const pipelineConfig = async (): Promise<PipelineConfig> => {
    if (cached && cached.until > now()) return cached.config;
    let text: string | undefined;
    try {
      text = (await ssm.send(new GetParameterCommand({ Name: parameterName }))).Parameter?.Value;
    } catch (error) {
      if ((error as Error).name === 'ParameterNotFound')
        throw new InvalidConfigError(`The config parameter ${parameterName} does not exist`, { cause: error });
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text ?? '');
    } catch {
      throw new InvalidConfigError(`The config parameter ${parameterName} is not JSON`);
    }
    // The flat form (version v1) or the versions form.
    const checked = checkPipelineConfig(parsed, DEFAULT_VARIANT_WIDTHS);
    if (!checked.config) throw new InvalidConfigError(`The config parameter ${parameterName} is invalid: ${checked.problems.join('; ')}`);
    const current = requirePipelineVersion(checked.config).settings.analysis;
    cached = { config: checked.config, until: now() + current.cacheSeconds * 1000 };
    return checked.config;
  };
  return async (pipelineVersion) => requirePipelineVersion(await pipelineConfig(), pipelineVersion).settings.analysis;
}
