import { AthenaClient } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { createPowertools } from '@smart-image-pipeline/lambda-kit';

/** Logger, tracer (off outside Lambda) and EMF metrics; service name and level come from POWERTOOLS_* variables. */
export const powertools = createPowertools();

/**
 * The SDK clients, created once per cold start. No endpoint is set here: the SDK reads AWS_ENDPOINT_URL itself,
 * which is how local mode reaches its emulators. S3 computes checksums only when required, because a presigned
 * request must not carry a checksum of an empty body.
 */
export const s3 = powertools.tracer.captureAWSv3Client(
  new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }),
);
export const documents = DynamoDBDocumentClient.from(powertools.tracer.captureAWSv3Client(new DynamoDBClient({})), {
  marshallOptions: { removeUndefinedValues: true },
});
export const sfn = powertools.tracer.captureAWSv3Client(new SFNClient({}));
export const athena = powertools.tracer.captureAWSv3Client(new AthenaClient({}));
