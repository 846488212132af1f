import { S3Client } from '@aws-sdk/client-s3';
import { createPowertools } from '@smart-image-pipeline/lambda-kit';

// Created once per cold start; the endpoint comes only from the SDK's AWS_ENDPOINT_URL* variables (local mode).
export const powertools = createPowertools();
export const s3 = powertools.tracer.captureAWSv3Client(new S3Client({}));
