import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createPowertools } from '@smart-image-pipeline/lambda-kit';

/** Logger, tracer (off outside Lambda) and EMF metrics; service name and level come from POWERTOOLS_* variables. */
export const powertools = createPowertools();

/**
 * DynamoDB document client, created once per cold start. No endpoint is set here: the SDK reads
 * AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_DYNAMODB itself, which is how local mode reaches its emulator.
 */
export const documentClient = DynamoDBDocumentClient.from(powertools.tracer.captureAWSv3Client(new DynamoDBClient({})), {
  // Optional summary fields may be absent; dropping undefined keeps a missing field from failing the write.
  marshallOptions: { removeUndefinedValues: true },
});
