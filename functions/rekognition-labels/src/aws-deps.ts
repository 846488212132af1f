import type { Logger } from '@aws-lambda-powertools/logger';
import type { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import {
  DetectFacesCommand,
  DetectLabelsCommand,
  DetectModerationLabelsCommand,
  DetectTextCommand,
  type RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AnalyseImageDeps } from './analyse-image';
import type { Environment } from './config';
import { createConfigLoader } from './config-loader';

/** The SDK clients and settings the real deps are built from. */
export interface AwsDepsSources {
  rekognition: RekognitionClient;
  s3: S3Client;
  ssmProvider: SSMProvider;
  env: Environment;
  logger?: Logger;
}

/** Builds the core's deps on the AWS SDK: Rekognition, S3 PutObject, and the SSM config through Powertools. */
export function createAwsDeps({ rekognition, s3, ssmProvider, env, logger }: AwsDepsSources): AnalyseImageDeps {
  return {
    detectLabels: (request) => rekognition.send(new DetectLabelsCommand(request)),
    detectModerationLabels: (request) => rekognition.send(new DetectModerationLabelsCommand(request)),
    detectFaces: (request) => rekognition.send(new DetectFacesCommand(request)),
    detectText: (request) => rekognition.send(new DetectTextCommand(request)),
    putJson: async (key, body) => {
      await s3.send(
        new PutObjectCommand({
          Bucket: env.processedBucketName,
          Key: key,
          Body: JSON.stringify(body),
          ContentType: 'application/json',
        }),
      );
    },
    getConfig: createConfigLoader((name, maxAge) => ssmProvider.get(name, { maxAge }), env.configParameterName),
    log: logger ? (message, fields) => logger.info(message, fields) : undefined,
  };
}
