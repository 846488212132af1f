import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createPowertools } from '@smart-image-pipeline/lambda-kit';

/** Logger, tracer (off outside Lambda) and EMF metrics; service name and level come from POWERTOOLS_* variables. */
export const powertools = createPowertools();

/** S3 and DynamoDB clients, created once per cold start; endpoints come only from AWS_ENDPOINT_URL*. */
export const s3 = powertools.tracer.captureAWSv3Client(new S3Client({}));
export const documentClient = DynamoDBDocumentClient.from(powertools.tracer.captureAWSv3Client(new DynamoDBClient({})), {
  marshallOptions: { removeUndefinedValues: true },
});
