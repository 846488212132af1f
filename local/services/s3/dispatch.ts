import type { EdgeResponse } from '../../edge/types';
import * as buckets from './bucket-operations';
import type { S3Context } from './context';
import { AwsServiceError } from '../../edge/aws-error';
import * as multipart from './multipart-operations';
import * as objects from './object-operations';
import type { S3Call } from './s3-request';

/** Bucket sub-resources local mode accepts and ignores, because the template's settings have no local effect. */
const ACCEPTED_SUBRESOURCES = [
  'policy',
  'cors',
  'encryption',
  'publicAccessBlock',
  'tagging',
  'notification',
  'lifecycle',
  'ownershipControls',
  'acl',
];

/**
 * Maps an S3 REST call (method, bucket, key, sub-resource) onto its operation.
 * @throws AwsServiceError for S3 errors, including NotImplemented for calls local mode does not serve.
 */
export async function dispatchS3(ctx: S3Context, call: S3Call): Promise<EdgeResponse> {
  const { method, bucket, key, query } = call;
  if (!bucket) {
    if (method === 'GET') return buckets.listBuckets(ctx);
    throw notImplemented(call);
  }
  if (key === undefined) {
    if (query.has('versioning')) return buckets.bucketVersioning(ctx, call, bucket);
    if (query.has('location')) return buckets.bucketLocation(ctx, bucket);
    if (query.has('uploads') && method === 'GET') return multipart.listMultipartUploads(ctx, bucket);
    if (query.has('versions') && method === 'GET') return buckets.listObjectVersions(ctx, call, bucket);
    if (query.has('delete') && method === 'POST') return buckets.deleteObjects(ctx, call, bucket);
    const ignored = ACCEPTED_SUBRESOURCES.find((name) => query.has(name));
    if (ignored) return acceptSubresource(ctx, call, bucket, ignored);
    switch (method) {
      case 'GET':
        return buckets.listObjects(ctx, call, bucket);
      case 'HEAD':
        return buckets.headBucket(ctx, bucket);
      case 'PUT':
        return buckets.createBucket(ctx, bucket);
      case 'DELETE':
        return buckets.deleteBucket(ctx, bucket);
      default:
        throw notImplemented(call);
    }
  }
  if (query.has('uploadId')) {
    if (method === 'PUT') return multipart.uploadPart(ctx, call, bucket, key);
    if (method === 'POST') return multipart.completeMultipartUpload(ctx, call, bucket, key);
    if (method === 'DELETE') return multipart.abortMultipartUpload(ctx, call, bucket, key);
    if (method === 'GET') return multipart.listParts(ctx, call, bucket, key);
  }
  if (query.has('uploads') && method === 'POST') return multipart.createMultipartUpload(ctx, call, bucket, key);
  if (query.has('tagging') && method === 'GET') return objects.getObjectTagging(ctx, call, bucket, key);
  if (query.has('tagging') || query.has('acl') || query.has('attributes') || query.has('retention') || query.has('legal-hold'))
    throw notImplemented(call);
  switch (method) {
    case 'PUT':
      return call.headers['x-amz-copy-source'] ? objects.copyObject(ctx, call, bucket, key) : objects.putObject(ctx, call, bucket, key);
    case 'GET':
    case 'HEAD':
      return objects.getObject(ctx, call, bucket, key);
    case 'DELETE':
      return objects.deleteObject(ctx, call, bucket, key);
    default:
      throw notImplemented(call);
  }
}

function acceptSubresource(ctx: S3Context, call: S3Call, bucket: string, name: string): EdgeResponse {
  ctx.store.bucketInfo(bucket);
  if (call.method === 'PUT' || call.method === 'DELETE') return { status: call.method === 'PUT' ? 200 : 204 };
  const missing: Record<string, [string, string]> = {
    policy: ['NoSuchBucketPolicy', 'The bucket policy does not exist'],
    cors: ['NoSuchCORSConfiguration', 'The CORS configuration does not exist'],
    tagging: ['NoSuchTagSet', 'The TagSet does not exist'],
    lifecycle: ['NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist'],
  };
  const [code, message] = missing[name] ?? ['NotImplemented', `Local S3 does not report the bucket's ${name} configuration`];
  throw new AwsServiceError(code, code === 'NotImplemented' ? 501 : 404, message, { BucketName: bucket });
}

function notImplemented(call: S3Call): AwsServiceError {
  const subresource = [...call.query.keys()].filter((name) => !name.startsWith('X-Amz-')).join('&');
  return new AwsServiceError(
    'NotImplemented',
    501,
    `Local S3 does not implement ${call.method} ${call.key === undefined ? 'bucket' : 'object'}${subresource ? `?${subresource}` : ''}`,
  );
}
