import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** Structured JSON logger; service name and level come from POWERTOOLS_* variables. */
export const logger = new Logger();

/** X-Ray tracer; disabled automatically outside Lambda. */
export const tracer = new Tracer();

/**
 * DynamoDB document client, created once per cold start. No endpoint is set here: the SDK reads
 * AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_DYNAMODB itself, which is how local mode reaches its emulator.
 */
export const documentClient = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), {
  // Optional summary fields may be absent; dropping undefined keeps a missing field from failing the write.
  marshallOptions: { removeUndefinedValues: true },
});
