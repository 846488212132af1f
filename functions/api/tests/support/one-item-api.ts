import { S3Client } from '@aws-sdk/client-s3';
import type { ApiDeps } from '../../src/api-deps';
import { createApi } from '../../src/api';
import type { ApiRequest } from '../../src/http/api-request';
import type { ImageItem } from '../../src/images/image-item';

/** A real S3 client with fixed test credentials: the URL signer needs its configuration and middleware. */
export function testS3Client(): S3Client {
  return new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
}

/**
 * The API over one stored image item (the index knows only it), for a caller whose token always verifies; `s3` is a
 * test client, whose `send` a test may replace to answer reads.
 */
export function oneItemApi(caller: { sub: string; isAdmin: boolean }, item: ImageItem, s3: S3Client = testS3Client()) {
  const deps = {
    s3,
    verifier: { verify: async () => ({ username: 'someone', groups: [], ...caller }) },
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    now: () => new Date(Date.UTC(2026, 11, 5)),
    uuid: () => '00000000-0000-4000-8000-000000000000',
    resources: { uploadsBucket: 'uploads', processedBucket: 'processed', tableName: 'images', stateMachineArn: 'arn' },
    index: {
      getImageFamily: async (imageId: string) => ({ image: imageId === item.imageId ? item : undefined, children: [] }),
      getImages: async (ids: string[]) => ({ items: new Map(ids.includes(item.imageId) ? [[item.imageId, item]] : []), readUnits: 0 }),
    },
  } as unknown as ApiDeps;
  const api = createApi(deps);
  /** A signed-in GET of a path: the status, the content type and the body as text. */
  return async (path: string) => {
    const response = await api.handle({
      method: 'GET',
      path,
      query: new URLSearchParams(),
      headers: { authorization: 'Bearer t' },
      requestId: 'r',
    } as unknown as ApiRequest);
    return { status: response.statusCode, type: response.headers['content-type'], body: String(response.body) };
  };
}
