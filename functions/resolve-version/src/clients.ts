import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createPowertools } from '@smart-image-pipeline/lambda-kit';

/** Logger, tracer (off outside Lambda) and EMF metrics; service name and level come from POWERTOOLS_* variables. */
export const powertools = createPowertools();

/** Clients created once per cold start; endpoints come only from AWS_ENDPOINT_URL*. */
export const documentClient = DynamoDBDocumentClient.from(powertools.tracer.captureAWSv3Client(new DynamoDBClient({})));
// Powertools keeps its own in-memory cache per provider; one provider per cold start is the point.
export const ssmProvider = new SSMProvider({ awsSdkV3Client: powertools.tracer.captureAWSv3Client(new SSMClient({})) });
