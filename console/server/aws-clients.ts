import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';

/** The SDK clients the API uses; nothing else talks to the services. */
export interface ConsoleClients {
  s3: S3Client;
  documents: DynamoDBDocumentClient;
  sfn: SFNClient;
}

/** Where the clients point: an edge endpoint (local mode, any credentials) or, without one, AWS's own endpoints and credential chain. */
export interface ClientOptions {
  edgeUrl?: string;
  region?: string;
}

/** Creates the clients once per server. */
export function createClients(options: ClientOptions): ConsoleClients {
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const local = options.edgeUrl
    ? { endpoint: options.edgeUrl, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
    : {};
  return {
    // Path-style addressing, since the edge serves every bucket on one host. Checksums only when required,
    // because a presigned PUT that carries a precomputed checksum of an empty body fails for every real file.
    s3: new S3Client({ region, ...local, forcePathStyle: Boolean(options.edgeUrl), requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }),
    documents: DynamoDBDocumentClient.from(new DynamoDBClient({ region, ...local }), { marshallOptions: { removeUndefinedValues: true } }),
    sfn: new SFNClient({ region, ...local }),
  };
}
