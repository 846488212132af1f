import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createPowertools } from '@smart-image-pipeline/lambda-kit';

/** Logger, tracer (off outside Lambda) and EMF metrics; service name and level come from POWERTOOLS_* variables. */
export const powertools = createPowertools();

// Each client once per cold start; endpoints come only from the SDK's AWS_ENDPOINT_URL* variables (local mode).
const traced = <T>(client: T): T => powertools.tracer.captureAWSv3Client(client);

export const documentClient = DynamoDBDocumentClient.from(traced(new DynamoDBClient({})), {
  marshallOptions: { removeUndefinedValues: true },
});
// The queue is in the function's own region, so the regional endpoint is the queue URL's host in AWS; without this the
// SDK sends to the queue URL's host even when AWS_ENDPOINT_URL names another endpoint (local mode's edge).
export const sqsClient = traced(new SQSClient({ useQueueUrlAsEndpoint: false }));
export const cognitoClient = traced(new CognitoIdentityProviderClient({}));
/** One client per channel of the registry (types.ts ChannelClients). */
export const channelClients = { email: traced(new SESv2Client({})), sms: traced(new SNSClient({})) };
