import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** SDK clients with their default settings (checksums included), pointed at a local edge. */
export function edgeClients(edgeUrl: string) {
  const config = { endpoint: edgeUrl, region: 'us-east-1', credentials };
  const s3 = new S3Client(config);
  return {
    s3,
    sfn: new SFNClient(config),
    documents: DynamoDBDocumentClient.from(new DynamoDBClient(config)),
    async getBytes(bucket: string, key: string): Promise<Buffer> {
      const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await (res.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
    },
    destroy() {
      s3.destroy();
    },
  };
}

/** The fixture image folder. */
export const FIXTURES = `${__dirname}/../../fixtures/images`;
