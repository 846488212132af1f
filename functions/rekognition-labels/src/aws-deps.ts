import { RAW_ANALYSIS_TAG } from '@smart-image-pipeline/contracts';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import type { RekognitionClient } from '@aws-sdk/client-rekognition';
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { IMAGE_SK, imagePk } from '@smart-image-pipeline/contracts';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AnalyseImageDeps } from './analyse-image';
import type { AnalyseConfig } from './config';
import { createConfigLoader } from './config-loader';
import { createAwsFaceCollection } from './people/aws-face-collection';
import { createDynamoFaceStore } from './people/dynamo-face-store';
import { createDynamoDetectionsCheckpoint } from './people/dynamo-detections-checkpoint';
import { createDynamoPeopleLock } from './people/dynamo-people-lock';
import type { HashCandidate, NearDuplicateStore, StoredImage } from './near-duplicate';

/** The SDK clients and settings the real deps are built from. */
export interface AwsDepsSources {
  rekognition: RekognitionClient;
  s3: S3Client;
  ssmProvider: SSMProvider;
  dynamodb: DynamoDBDocumentClient;
  env: AnalyseConfig;
  logger?: Logger;
}

/** Hash-band items read per band at most: a band shared by more images than this is a weak signal anyway. */
export const BAND_QUERY_LIMIT = 25;

/** The near-duplicate lookups on DynamoDB: a GSI1 query per hash band, a GetItem per candidate image. */
export function createNearDuplicateStore(dynamodb: DynamoDBDocumentClient, tableName: string): NearDuplicateStore {
  return {
    bandMembers: async (indexPk) => {
      const result = await dynamodb.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': indexPk },
          ProjectionExpression: 'imageId, perceptualHash',
          Limit: BAND_QUERY_LIMIT,
        }),
      );
      return (result.Items ?? []).filter(
        (item) => typeof item.imageId === 'string' && typeof item.perceptualHash === 'string',
      ) as HashCandidate[];
    },
    image: async (imageId) => {
      const result = await dynamodb.send(
        new GetCommand({
          TableName: tableName,
          Key: { PK: imagePk(imageId), SK: IMAGE_SK },
          ProjectionExpression: 'imageId, revision, #status, #owner, analysis',
          ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
        }),
      );
      return result.Item as StoredImage | undefined;
    },
  };
}

/** Builds the core's deps on the AWS SDK: Rekognition, S3 PutObject, the SSM config through Powertools, and DynamoDB. */
export function createAwsDeps({ rekognition, s3, ssmProvider, dynamodb, env, logger }: AwsDepsSources): AnalyseImageDeps {
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
    nearDuplicates: createNearDuplicateStore(dynamodb, env.imagesTableName),
    storedImage: async (imageId) => {
      // Consistent: the reuse decision must see the latest write of the item (another run may have replaced it).
      const result = await dynamodb.send(
        new GetCommand({
          TableName: env.imagesTableName,
          Key: { PK: imagePk(imageId), SK: IMAGE_SK },
          ConsistentRead: true,
          ProjectionExpression: 'imageId, revision, #status, mediaType, pipelineVersion, analysis',
          ExpressionAttributeNames: { '#status': 'status' },
        }),
      );
      return result.Item;
    },
    ...(env.faceCollectionId
      ? {
          people: {
            collection: createAwsFaceCollection(rekognition, env.faceCollectionId),
            store: createDynamoFaceStore(dynamodb, env.imagesTableName),
            lock: createDynamoPeopleLock(dynamodb, env.imagesTableName),
            checkpoint: createDynamoDetectionsCheckpoint(dynamodb, env.imagesTableName),
          },
        }
      : {}),
    log: logger ? (message, fields) => logger.info(message, fields) : undefined,
  };
}
