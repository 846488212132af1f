/**
 * End to end against a deployed stack: `E2E_STACK_NAME=<stack> AWS_REGION=<region> npx jest --selectProjects e2e`
 * with credentials that may write to the stack's buckets and read its table and executions. Every name comes from
 * the stack's Outputs, every run uses its own key prefix, and the test deletes what it created. Without
 * E2E_STACK_NAME the tests are skipped, and say so.
 *
 * E2E_STACK_OUTPUTS may name a JSON file of the Outputs instead (what `aws cloudformation describe-stacks --query
 * 'Stacks[0].Outputs'` prints), for a stack whose CloudFormation the caller cannot read, or for local mode
 * (`AWS_ENDPOINT_URL=http://127.0.0.1:4566`), where there is no CloudFormation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, HeadObjectCommand, ListObjectVersionsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { executionNameFor, imageIdFor, revisionFor } from '@smart-image-pipeline/contracts';

const stackName = process.env.E2E_STACK_NAME;
const outputsFile = process.env.E2E_STACK_OUTPUTS;
const describeDeployed = stackName || outputsFile ? describe : describe.skip;
if (!stackName && !outputsFile) console.info('e2e: skipped, no deployed stack (set E2E_STACK_NAME and AWS credentials to run it).');

const FIXTURES = join(__dirname, '../fixtures/images');
const runPrefix = `uploads/e2e-${Date.now().toString(36)}-${process.pid}/`;

interface StackNames {
  uploadsBucket: string;
  processedBucket: string;
  table: string;
  stateMachineArn: string;
}

describeDeployed(`deployed stack ${stackName ?? outputsFile}`, () => {
  jest.setTimeout(10 * 60_000);
  const s3 = new S3Client({});
  const dynamo = new DynamoDBClient({});
  const sfn = new SFNClient({});
  let names: StackNames;
  const uploadedKeys: string[] = [];
  const imageIds: string[] = [];

  beforeAll(async () => {
    names = namesFromOutputs(outputsFile ? JSON.parse(readFileSync(outputsFile, 'utf8')) : await describeStackOutputs(stackName!));
  });

  afterAll(async () => {
    await Promise.all(uploadedKeys.map((key) => deleteAllVersions(s3, names.uploadsBucket, key)));
    for (const imageId of imageIds) {
      await deleteAllVersionsUnder(s3, names.processedBucket, `images/${imageId}/`);
      await deleteImageItems(dynamo, names.table, imageId);
    }
  });

  it('turns an uploaded JPEG into variants, analysis and a SUCCEEDED image item', async () => {
    // Prepare
    const key = `${runPrefix}flowers in bloom (1).jpeg`;

    // Act
    const run = await uploadAndWait(key, readFileSync(join(FIXTURES, 'flowers.jpeg')), 'image/jpeg');

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    const item = await dynamo.send(
      new GetItemCommand({ TableName: names.table, Key: { PK: { S: `IMAGE#${run.imageId}` }, SK: { S: 'IMAGE' } } }),
    );
    expect(item.Item?.status?.S).toBe('SUCCEEDED');
    const variants = item.Item?.variants?.L ?? [];
    expect(variants.length).toBeGreaterThan(0);
    const firstVariantKey = variants[0].M!.key.S!;
    const head = await s3.send(new HeadObjectCommand({ Bucket: names.processedBucket, Key: firstVariantKey }));
    expect(head.ContentType).toMatch(/^image\/(webp|jpeg)$/);
  });

  it('records a file that is not an image as FAILED with its reason and keeps the upload', async () => {
    // Prepare
    const key = `${runPrefix}not-an-image.jpg`;

    // Act
    const run = await uploadAndWait(key, Buffer.from('%PDF-1.7\nthis is not a picture\n'), 'image/jpeg');

    // Assess
    expect(run.status).toBe('FAILED');
    const item = await dynamo.send(
      new GetItemCommand({ TableName: names.table, Key: { PK: { S: `IMAGE#${run.imageId}` }, SK: { S: 'IMAGE' } } }),
    );
    expect(item.Item?.status?.S).toBe('FAILED');
    expect(JSON.stringify(item.Item?.error)).toContain('UnsupportedImageTypeError');
    await expect(s3.send(new HeadObjectCommand({ Bucket: names.uploadsBucket, Key: key }))).resolves.toBeDefined();
  });

  /** Uploads one object and waits for the execution the trigger derives from its version to finish. */
  async function uploadAndWait(key: string, body: Buffer, contentType: string): Promise<{ imageId: string; status: string }> {
    const put = await s3.send(new PutObjectCommand({ Bucket: names.uploadsBucket, Key: key, Body: body, ContentType: contentType }));
    uploadedKeys.push(key);
    if (!put.VersionId) throw new Error('the uploads bucket is expected to be versioned; PutObject returned no VersionId');
    const imageId = imageIdFor(names.uploadsBucket, key);
    imageIds.push(imageId);
    const executionName = executionNameFor(imageId, revisionFor(names.uploadsBucket, key, put.VersionId));
    const executionArn = names.stateMachineArn.replace(':stateMachine:', ':execution:') + `:${executionName}`;
    const deadline = Date.now() + 8 * 60_000;
    while (Date.now() < deadline) {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn })).catch((error: Error) => {
        if (error.name === 'ExecutionDoesNotExist') return undefined; // the S3 event has not arrived yet
        throw error;
      });
      if (execution && execution.status !== 'RUNNING') return { imageId, status: execution.status! };
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
    throw new Error(`execution ${executionName} did not finish within 8 minutes`);
  }
});

interface StackOutput {
  OutputKey?: string;
  OutputValue?: string;
}

async function describeStackOutputs(name: string): Promise<StackOutput[]> {
  const { Stacks } = await new CloudFormationClient({}).send(new DescribeStacksCommand({ StackName: name }));
  return Stacks?.[0]?.Outputs ?? [];
}

function namesFromOutputs(list: StackOutput[]): StackNames {
  const outputs = Object.fromEntries(list.map((o) => [o.OutputKey, o.OutputValue]));
  const required = ['UploadsBucketName', 'ProcessedBucketName', 'ImagesTableName', 'ImagePipelineStateMachineArn'];
  const missing = required.filter((key) => !outputs[key]);
  if (missing.length) throw new Error(`the stack has no output(s) ${missing.join(', ')}`);
  return {
    uploadsBucket: outputs.UploadsBucketName!,
    processedBucket: outputs.ProcessedBucketName!,
    table: outputs.ImagesTableName!,
    stateMachineArn: outputs.ImagePipelineStateMachineArn!,
  };
}

async function deleteAllVersions(s3: S3Client, bucket: string, key: string): Promise<void> {
  const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
  const versions = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].filter((v) => v.Key === key);
  await Promise.all(versions.map((v) => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: v.VersionId }))));
}

async function deleteAllVersionsUnder(s3: S3Client, bucket: string, prefix: string): Promise<void> {
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
    );
    const versions = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])];
    await Promise.all(versions.map((v) => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: v.Key, VersionId: v.VersionId }))));
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);
}

async function deleteImageItems(dynamo: DynamoDBClient, table: string, imageId: string): Promise<void> {
  const { Items } = await dynamo.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': { S: `IMAGE#${imageId}` } },
    }),
  );
  for (const item of Items ?? []) {
    await dynamo.send(new DeleteItemCommand({ TableName: table, Key: { PK: item.PK, SK: item.SK } }));
  }
}
