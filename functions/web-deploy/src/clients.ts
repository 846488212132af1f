import { S3Client } from '@aws-sdk/client-s3';
import { createPowertools } from '@smart-image-pipeline/lambda-kit';

/** Logger, tracer (off outside Lambda) and EMF metrics; service name and level come from POWERTOOLS_* variables. */
export const powertools = createPowertools();

/** S3 client, created once per cold start; endpoints come only from the SDK's own AWS_ENDPOINT_URL variables. */
export const s3 = powertools.tracer.captureAWSv3Client(new S3Client({}));
