import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { createPowertools } from '@smart-image-pipeline/lambda-kit';

// Created once per cold start. No endpoint or region here: the SDK reads AWS_REGION and the
// AWS_ENDPOINT_URL_* variables itself, which is how local mode points the same code at its edge.
export const powertools = createPowertools();
const { tracer } = powertools;

// maxAttempts 2: one quick SDK retry absorbs a dropped connection, but sustained throttling or 5xx
// surfaces fast under its SDK name; the state machine owns retries (backoff and jitter, visible in
// the execution history). The SDK default of 3 would multiply with the ASL's attempts and burn Lambda time.
export const rekognitionClientConfig = Object.freeze({ maxAttempts: 2 });
export const rekognition = tracer.captureAWSv3Client(new RekognitionClient({ ...rekognitionClientConfig }));
export const s3 = tracer.captureAWSv3Client(new S3Client({}));
export const dynamodb = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})));

// Powertools keeps its own in-memory cache per provider; one provider per cold start is the point.
export const ssmProvider = new SSMProvider({ awsSdkV3Client: tracer.captureAWSv3Client(new SSMClient({})) });
