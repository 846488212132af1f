import type { EdgeResponse } from '../../edge/types';
import { restXmlProtocol } from '../../edge/protocols/rest-xml';
import { childrenOf, listOf, textOf, type XmlNode } from '../../edge/protocols/xml';
import type { S3Context } from './context';
import { AwsServiceError } from '../../edge/aws-error';
import { encodeEventKey } from './event-record';
import { decodeCursor, encodeCursor, listPage, type ListingCursor } from './listing';
import type { S3Call } from './s3-request';
import { malformedXml, readXmlBody } from './xml-body';

const OWNER = { ID: 'local0000000000000000000000000000000000000000000000000000000owner', DisplayName: 'local' };

/** ListBuckets. */
export function listBuckets(ctx: S3Context): EdgeResponse {
  return restXmlProtocol.ok('ListAllMyBucketsResult', {
    Owner: OWNER,
    Buckets: {
      Bucket: ctx.store.listBuckets().map((bucket) => ({ Name: bucket.name, CreationDate: bucket.createdAt, BucketRegion: ctx.region })),
    },
  });
}

/** CreateBucket: in us-east-1 re-creating your own bucket succeeds, elsewhere it is BucketAlreadyOwnedByYou, as in S3. */
export async function createBucket(ctx: S3Context, bucket: string): Promise<EdgeResponse> {
  const { created } = await ctx.store.createBucket(bucket);
  if (!created && ctx.region !== 'us-east-1') {
    throw new AwsServiceError(
      'BucketAlreadyOwnedByYou',
      409,
      'Your previous request to create the named bucket succeeded and you already own it.',
      { BucketName: bucket },
    );
  }
  return { status: 200, headers: { location: `/${bucket}` } };
}

/** HeadBucket (404 without a body when missing; the edge drops HEAD bodies). */
export function headBucket(ctx: S3Context, bucket: string): EdgeResponse {
  ctx.store.bucketInfo(bucket);
  return { status: 200, headers: { 'x-amz-bucket-region': ctx.region } };
}

/** DeleteBucket. */
export async function deleteBucket(ctx: S3Context, bucket: string): Promise<EdgeResponse> {
  await ctx.store.deleteBucket(bucket);
  return { status: 204 };
}

/** GetBucketVersioning / PutBucketVersioning. */
export async function bucketVersioning(ctx: S3Context, call: S3Call, bucket: string): Promise<EdgeResponse> {
  if (call.method === 'PUT') {
    const status = textOf(childrenOf(readXmlBody(call.body).VersioningConfiguration).Status);
    if (status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
    await ctx.store.setVersioning(bucket, status);
    return { status: 200 };
  }
  const { versioning } = ctx.store.bucketInfo(bucket);
  return restXmlProtocol.ok('VersioningConfiguration', { Status: versioning });
}

/** GetBucketLocation: empty for us-east-1, as S3 answers. */
export function bucketLocation(ctx: S3Context, bucket: string): EdgeResponse {
  ctx.store.bucketInfo(bucket);
  const region = ctx.region === 'us-east-1' ? '' : ctx.region;
  return restXmlProtocol.ok('LocationConstraint', { '#text': region });
}

/** ListObjectsV2 (list-type=2) and ListObjects (V1, marker based). */
export function listObjects(ctx: S3Context, call: S3Call, bucket: string): EdgeResponse {
  const entries = ctx.store.listCurrent(bucket);
  const prefix = call.query.get('prefix') ?? '';
  const delimiter = call.query.get('delimiter') ?? '';
  const maxKeys = readMaxKeys(call.query.get('max-keys'));
  const urlEncoded = call.query.get('encoding-type') === 'url';
  const encode = (value: string) => (urlEncoded ? encodeEventKey(value) : value);
  const v2 = call.query.get('list-type') === '2';
  const token = call.query.get('continuation-token');
  let cursor: ListingCursor | undefined;
  if (v2 && token) {
    cursor = decodeCursor(token);
    if (!cursor)
      throw new AwsServiceError('InvalidArgument', 400, 'The continuation token provided is incorrect', {
        ArgumentName: 'continuation-token',
      });
  } else {
    const after = v2 ? call.query.get('start-after') : call.query.get('marker');
    if (after) cursor = { after };
  }
  const page = listPage(entries, { prefix, delimiter, maxKeys, cursor });
  const contents = page.contents.map(({ key, version }) => ({
    Key: encode(key),
    LastModified: version.lastModified,
    ETag: `"${version.etag}"`,
    ...(version.checksum
      ? {
          ChecksumAlgorithm: version.checksum.algorithm.toUpperCase(),
          ChecksumType: version.checksum.value.includes('-') ? 'COMPOSITE' : 'FULL_OBJECT',
        }
      : {}),
    Size: version.size,
    ...(!v2 || call.query.get('fetch-owner') === 'true' ? { Owner: OWNER } : {}),
    StorageClass: 'STANDARD',
  }));
  const common: XmlNode = {
    Name: bucket,
    Prefix: encode(prefix),
    ...(delimiter ? { Delimiter: encode(delimiter) } : {}),
    MaxKeys: maxKeys,
    ...(urlEncoded ? { EncodingType: 'url' } : {}),
    IsTruncated: page.isTruncated,
  };
  const nextCursor =
    page.isTruncated && page.last ? { after: page.last.value, ...(page.last.isPrefix ? { skipPrefix: true } : {}) } : undefined;
  const body: XmlNode = v2
    ? {
        ...common,
        KeyCount: page.contents.length + page.commonPrefixes.length,
        ...(token ? { ContinuationToken: token } : {}),
        ...(nextCursor ? { NextContinuationToken: encodeCursor(nextCursor) } : {}),
        ...(call.query.get('start-after') ? { StartAfter: encode(call.query.get('start-after') ?? '') } : {}),
        Contents: contents,
        CommonPrefixes: page.commonPrefixes.map((value) => ({ Prefix: encode(value) })),
      }
    : {
        ...common,
        Marker: encode(call.query.get('marker') ?? ''),
        ...(nextCursor && delimiter ? { NextMarker: encode(nextCursor.after) } : {}),
        Contents: contents,
        CommonPrefixes: page.commonPrefixes.map((value) => ({ Prefix: encode(value) })),
      };
  return restXmlProtocol.ok('ListBucketResult', body);
}

/** ListObjectVersions (one page, every version and delete marker). */
export function listObjectVersions(ctx: S3Context, call: S3Call, bucket: string): EdgeResponse {
  const prefix = call.query.get('prefix') ?? '';
  const urlEncoded = call.query.get('encoding-type') === 'url';
  const encode = (value: string) => (urlEncoded ? encodeEventKey(value) : value);
  const versions: XmlNode[] = [];
  const markers: XmlNode[] = [];
  for (const { key, versions: list } of ctx.store.listAllVersions(bucket)) {
    if (!key.startsWith(prefix)) continue;
    list.forEach((version, index) => {
      const common = {
        Key: encode(key),
        VersionId: version.versionId,
        IsLatest: index === 0,
        LastModified: version.lastModified,
        Owner: OWNER,
      };
      if (version.deleteMarker) markers.push(common);
      else
        versions.push({
          ...common,
          ETag: `"${version.etag}"`,
          Size: version.size,
          StorageClass: 'STANDARD',
          ...(version.checksum ? { ChecksumAlgorithm: version.checksum.algorithm.toUpperCase() } : {}),
        });
    });
  }
  return restXmlProtocol.ok('ListVersionsResult', {
    Name: bucket,
    Prefix: encode(prefix),
    KeyMarker: '',
    VersionIdMarker: '',
    MaxKeys: 1000,
    IsTruncated: false,
    ...(urlEncoded ? { EncodingType: 'url' } : {}),
    Version: versions,
    DeleteMarker: markers,
  });
}

/** DeleteObjects (up to 1000 keys; Quiet mode reports only errors). */
export async function deleteObjects(ctx: S3Context, call: S3Call, bucket: string): Promise<EdgeResponse> {
  ctx.store.bucketInfo(bucket);
  const request = childrenOf(readXmlBody(call.body, ['Delete.Object']).Delete);
  const objects = listOf(request.Object).map((object) => ({ key: textOf(object.Key) ?? '', versionId: textOf(object.VersionId) }));
  if (objects.length === 0 || objects.length > 1000) throw malformedXml();
  const quiet = textOf(request.Quiet) === 'true';
  const deleted: XmlNode[] = [];
  for (const object of objects) {
    const result = await ctx.store.deleteObject(bucket, object.key, object.versionId);
    ctx.emitRemoved(bucket, object.key, result);
    if (!quiet) {
      deleted.push({
        Key: object.key,
        VersionId: object.versionId,
        ...(result.deleteMarker ? { DeleteMarker: true, DeleteMarkerVersionId: result.versionId } : {}),
      });
    }
  }
  return restXmlProtocol.ok('DeleteResult', { Deleted: deleted });
}

function readMaxKeys(value: string | null): number {
  if (value === null) return 1000;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new AwsServiceError('InvalidArgument', 400, 'Provided max-keys not an integer or within integer range', {
      ArgumentName: 'max-keys',
    });
  return Math.min(parsed, 1000);
}
