import { RAW_ANALYSIS_TAG } from '@smart-image-pipeline/contracts';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import type { RekognitionClient } from '@aws-sdk/client-rekognition';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AnalyseImageDeps } from './analyse-image';
import type { AnalyseConfig } from './config';
import { createConfigLoader } from './config-loader';

/** The SDK clients and settings the real deps are built from. */
export interface AwsDepsSources {
  rekognition: RekognitionClient;
  s3: S3Client;
  ssmProvider: SSMProvider;
  env: AnalyseConfig;
  logger?: Logger;
}

/** Builds the core's deps on the AWS SDK: Rekognition, S3 PutObject, and the SSM config through Powertools. */
export function createAwsDeps({ rekognition, s3, ssmProvider, env, logger }: AwsDepsSources): AnalyseImageDeps {
  return {
    // Each detector builds its own command class; send() is typed per command, hence the cast.
    detect: (detector, request) => rekognition.send(detector.command(request) as Parameters<RekognitionClient['send']>[0]),
    putJson: async (key, body) => {
      await s3.send(
        new PutObjectCommand({
          Bucket: env.processedBucketName,
          Key: key,
          Body: JSON.stringify(body),
          ContentType: 'application/json',
          Tagging: `${RAW_ANALYSIS_TAG.key}=${RAW_ANALYSIS_TAG.value}`,
        }),
      );
    },
    getConfig: createConfigLoader((name, maxAge) => ssmProvider.get(name, { maxAge }), env.configParameterName),
    log: logger ? (message, fields) => logger.info(message, fields) : undefined,
  };
}
