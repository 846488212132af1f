import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SSMClient } from '@aws-sdk/client-ssm';
import { analyseImage } from '../../src/analyse-image';
import { createAwsDeps } from '../../src/aws-deps';
import { rekognitionClientConfig } from '../../src/clients';
import { events, fixtureText, responses } from './fixtures';
import { fakeHttp, offlineClientSettings, type FakeAnswer, type RecordedRequest } from './fake-http';

const PARAMETER_NAME = '/smart-image-pipeline/test/rekognition-config';
const PROCESSED_BUCKET = 'smart-image-pipeline-processed-example';

const PERSON_ANSWERS: Record<string, string> = {
  DetectLabels: 'detect-labels-person.json',
  DetectModerationLabels: 'detect-moderation-labels-person.json',
  DetectFaces: 'detect-faces.json',
  DetectText: 'detect-text.json',
};

/** Answers like AWS would: Rekognition from the fixtures, SSM with the config, S3 with an ETag. */
function awsLike(overrides: Record<string, FakeAnswer> = {}, configJson = '{}') {
  return (request: RecordedRequest): FakeAnswer => {
    if (request.operation && overrides[request.operation]) return overrides[request.operation];
    if (request.operation === 'GetParameter') {
      return {
        status: 200,
        body: JSON.stringify({
          Parameter: {
            Name: PARAMETER_NAME,
            Type: 'String',
            Value: configJson,
            Version: 3,
            DataType: 'text',
            LastModifiedDate: 1764072000,
          },
        }),
      };
    }
    if (request.operation && PERSON_ANSWERS[request.operation])
      return { status: 200, body: fixtureText(PERSON_ANSWERS[request.operation]) };
    if (request.method === 'PUT') return { status: 200, headers: { etag: '"9b2cf535f27731c974343645a3985328"' } };
    return { status: 400, body: JSON.stringify({ __type: 'UnknownOperationException' }) };
  };
}

function wiredDeps(answer: (request: RecordedRequest) => FakeAnswer) {
  const http = fakeHttp(answer);
  const settings = { ...offlineClientSettings, requestHandler: http.requestHandler };
  const deps = createAwsDeps({
    rekognition: new RekognitionClient({ ...rekognitionClientConfig, ...settings }),
    s3: new S3Client(settings),
    ssmProvider: new SSMProvider({ awsSdkV3Client: new SSMClient(settings) }),
    dynamodb: DynamoDBDocumentClient.from(new DynamoDBClient(settings)),
    env: { processedBucketName: PROCESSED_BUCKET, configParameterName: PARAMETER_NAME, imagesTableName: 'images-example' },
  });
  const byOperation = (operation: string) => http.requests.filter((request) => request.operation === operation);
  return { deps, requests: http.requests, byOperation };
}

describe('createAwsDeps over the SDK wire format', () => {
  it('looks near-duplicates up in the GSI1 hash bands and the image item, and reuses without calling Rekognition', async () => {
    // Prepare
    const sourceId = 'a'.repeat(32);
    const first = await analyseImage(events.landscape(), wiredDeps(awsLike()).deps);
    const item = {
      imageId: { S: sourceId },
      revision: { S: '0123456789abcdef' },
      status: { S: 'SUCCEEDED' },
      analysis: { M: marshallJson(first) },
    };
    const wired = wiredDeps(
      awsLike({
        Query: {
          status: 200,
          body: JSON.stringify({ Items: [{ imageId: { S: sourceId }, perceptualHash: { S: '8f3c5a1e9b7d2c64' } }], Count: 1 }),
        },
        GetItem: { status: 200, body: JSON.stringify({ Item: item }) },
      }),
    );

    // Act
    const summary = await analyseImage({ ...events.landscape(), perceptualHash: '8f3c5a1e9b7d2c64' }, wired.deps);

    // Assess
    const queries = wired.byOperation('Query').map((request) => JSON.parse(request.body));
    expect(queries.map((query) => query.ExpressionAttributeValues[':pk'].S).sort()).toEqual([
      'PHASH#0#8f3c',
      'PHASH#1#5a1e',
      'PHASH#2#9b7d',
      'PHASH#3#2c64',
    ]);
    expect(queries[0]).toMatchObject({ TableName: 'images-example', IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', Limit: 25 });
    expect(JSON.parse(wired.byOperation('GetItem')[0].body)).toMatchObject({
      TableName: 'images-example',
      Key: { PK: { S: `IMAGE#${sourceId}` }, SK: { S: 'IMAGE' } },
    });
    expect(wired.byOperation('DetectLabels')).toHaveLength(0);
    expect(summary.reusedFrom).toEqual({ imageId: sourceId, revision: '0123456789abcdef', distance: 0 });
  });

  it('sends the image as an S3 object reference with its version, never as bytes', async () => {
    // Prepare
    const wired = wiredDeps(awsLike());

    // Act
    await analyseImage(events.person(), wired.deps);

    // Assess
    const image = {
      S3Object: {
        Bucket: 'smart-image-pipeline-uploads-example',
        Name: 'uploads/ai-body.jpg',
        Version: '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY',
      },
    };
    expect(JSON.parse(wired.byOperation('DetectLabels')[0].body)).toEqual({
      Image: image,
      Features: ['GENERAL_LABELS'],
      MinConfidence: 50,
      MaxLabels: 25,
    });
    expect(JSON.parse(wired.byOperation('DetectModerationLabels')[0].body)).toEqual({ Image: image, MinConfidence: 60 });
    expect(JSON.parse(wired.byOperation('DetectFaces')[0].body)).toEqual({ Image: image, Attributes: ['ALL'] });
    expect(JSON.parse(wired.byOperation('DetectText')[0].body)).toEqual({ Image: image });
    expect(wired.byOperation('GetParameter')).toHaveLength(1);
  });

  it('round-trips every hand-written fixture through the SDK deserialiser into S3 unchanged', async () => {
    // Prepare: the SDK drops members its model does not know, so any misspelt field would go missing here.
    const wired = wiredDeps(awsLike());
    const input = events.person();

    // Act
    const summary = await analyseImage(input, wired.deps);

    // Assess
    const puts = wired.requests.filter((request) => request.method === 'PUT');
    const bodyAt = (key: string) => {
      const put = puts.find((request) => decodeURIComponent(request.path).endsWith(`/${key}`));
      expect(put?.headers['content-type']).toBe('application/json');
      expect(put?.hostname.startsWith(`${PROCESSED_BUCKET}.`) || put?.path.startsWith(`/${PROCESSED_BUCKET}/`)).toBe(true);
      return JSON.parse(put?.body ?? 'null');
    };
    expect(puts).toHaveLength(4);
    expect(bodyAt(summary.rawKeys.DetectLabels!)).toEqual(responses.labelsPerson());
    expect(bodyAt(summary.rawKeys.DetectModerationLabels!)).toEqual(responses.moderationPerson());
    expect(bodyAt(summary.rawKeys.DetectFaces!)).toEqual(responses.faces());
    expect(bodyAt(summary.rawKeys.DetectText!)).toEqual(responses.text());
  });

  it('surfaces ThrottlingException under its SDK name after a single SDK retry', async () => {
    // Prepare
    const throttled = { status: 400, body: JSON.stringify({ __type: 'ThrottlingException', Message: 'Rate exceeded' }) };
    const wired = wiredDeps(awsLike({ DetectLabels: throttled }));

    // Act
    const result = analyseImage(events.person(), wired.deps);

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded' });
    expect(wired.byOperation('DetectLabels')).toHaveLength(rekognitionClientConfig.maxAttempts);
  });

  it.each([
    ['InternalServerError', 500],
    ['ServiceUnavailableException', 503],
    ['ProvisionedThroughputExceededException', 400],
  ])('surfaces %s under its SDK name', async (name, status) => {
    // Prepare
    const failing = { status, body: JSON.stringify({ __type: name, Message: `${name} from the fake` }) };
    const wired = wiredDeps(awsLike({ DetectModerationLabels: failing }));

    // Act
    const result = analyseImage(events.person(), wired.deps);

    // Assess
    await expect(result).rejects.toMatchObject({ name });
  });

  it('turns InvalidImageFormatException into InvalidAnalysisImageError without an SDK retry', async () => {
    // Prepare
    const refused = {
      status: 400,
      body: JSON.stringify({ __type: 'InvalidImageFormatException', Message: 'Request has invalid image format' }),
    };
    const wired = wiredDeps(awsLike({ DetectLabels: refused }));

    // Act
    const result = analyseImage(events.person(), wired.deps);

    // Assess
    await expect(result).rejects.toMatchObject({
      name: 'InvalidAnalysisImageError',
      message: 'InvalidImageFormatException: Request has invalid image format',
    });
    expect(wired.byOperation('DetectLabels')).toHaveLength(1);
    expect(wired.requests.filter((request) => request.method === 'PUT')).toHaveLength(0);
  });

  it('applies the config read from SSM to the Rekognition requests', async () => {
    // Prepare
    const wired = wiredDeps(awsLike({}, '{"detectFaces":"never","detectText":"never","maxLabels":7}'));

    // Act
    const summary = await analyseImage(events.person(), wired.deps);

    // Assess
    expect(JSON.parse(wired.byOperation('DetectLabels')[0].body).MaxLabels).toBe(7);
    expect(wired.byOperation('DetectFaces')).toHaveLength(0);
    expect(summary.skipped).toMatchObject({ DetectFaces: 'disabled by config', DetectText: 'disabled by config' });
  });
});

/** DynamoDB's JSON form of a plain JSON value (what GetItem returns for a map attribute). */
function marshallJson(value: object): Record<string, unknown> {
  const one = (v: unknown): unknown => {
    if (v === null) return { NULL: true };
    if (typeof v === 'string') return { S: v };
    if (typeof v === 'number') return { N: String(v) };
    if (typeof v === 'boolean') return { BOOL: v };
    if (Array.isArray(v)) return { L: v.map(one) };
    return { M: marshallJson(v as object) };
  };
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, one(v)]));
}
