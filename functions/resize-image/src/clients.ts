import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { configureSharpForLambda } from './sharp-settings';

/** Created once per cold start; endpoints come only from the SDK's AWS_ENDPOINT_URL* variables. */
export const logger = new Logger();
export const tracer = new Tracer();
export const s3 = tracer.captureAWSv3Client(new S3Client({}));

configureSharpForLambda();
