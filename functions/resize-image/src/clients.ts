import { S3Client } from '@aws-sdk/client-s3';
import { createPowertools } from '@smart-image-pipeline/lambda-kit';
import { configureSharpForLambda } from './sharp-settings';

/** Created once per cold start; endpoints come only from the SDK's AWS_ENDPOINT_URL* variables. */
export const powertools = createPowertools();
export const s3 = powertools.tracer.captureAWSv3Client(new S3Client({}));

configureSharpForLambda();
