import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import type { EdgeResponse } from '../../edge/types';
import { computeChecksum, type StoredChecksum } from './checksums';
import { restXmlProtocol } from '../../edge/protocols/rest-xml';
import { childrenOf, listOf, textOf } from '../../edge/protocols/xml';
import type { S3Context } from './context';
import { AwsServiceError } from '../../edge/aws-error';
import { checksumElement, readSystemHeaders, readUserMetadata, requestedAlgorithm, verifyPayload } from './object-headers';
import { parseCopySource, parseRange } from './object-operations';
import type { UploadedPart } from './multipart';
import { header, type S3Call } from './s3-request';
import { malformedXml, readXmlBody } from './xml-body';

/** Every part but the last must be at least 5 MiB, as in S3. */
const MIN_PART_BYTES = 5 * 1024 * 1024;

/** CreateMultipartUpload. */
export async function createMultipartUpload(ctx: S3Context, call: S3Call, bucket: string, key: string): Promise<EdgeResponse> {
  ctx.store.bucketInfo(bucket);
  const { contentType, systemHeaders } = readSystemHeaders(call.headers);
  const checksumAlgorithm = requestedAlgorithm(call.headers);
  const upload = await ctx.multipart.create({
    bucket,
    key,
    contentType,
    systemHeaders,
    metadata: readUserMetadata(call.headers),
    checksumAlgorithm,
  });
  const headers: Record<string, string> = {};
  if (checksumAlgorithm) {
    headers['x-amz-checksum-algorithm'] = checksumAlgorithm.toUpperCase();
    headers['x-amz-checksum-type'] = checksumAlgorithm === 'crc64nvme' ? 'FULL_OBJECT' : 'COMPOSITE';
  }
  return restXmlProtocol.ok('InitiateMultipartUploadResult', { Bucket: bucket, Key: key, UploadId: upload.uploadId }, headers);
}

/** UploadPart and UploadPartCopy. */
export async function uploadPart(ctx: S3Context, call: S3Call, bucket: string, key: string): Promise<EdgeResponse> {
  const uploadId = call.query.get('uploadId') ?? '';
  const partNumber = Number(call.query.get('partNumber'));
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000) {
    throw new AwsServiceError('InvalidArgument', 400, 'Part number must be an integer between 1 and 10000, inclusive', {
      ArgumentName: 'partNumber',
    });
  }
  await ctx.multipart.get(uploadId, bucket, key);
  const copySource = header(call.headers, 'x-amz-copy-source');
  if (copySource) return uploadPartCopy(ctx, call, uploadId, partNumber, copySource);
  const checksum = await verifyPayload(call.headers, call.trailers, call.body);
  const sentChecksum =
    checksum.algorithm === 'crc64nvme' && !header(call.headers, 'x-amz-checksum-crc64nvme') && !call.trailers['x-amz-checksum-crc64nvme']
      ? undefined
      : checksum;
  const part = await ctx.multipart.putPart(
    uploadId,
    { partNumber, etag: md5(call.body), size: call.body.length, checksum: sentChecksum },
    call.body,
  );
  const headers: Record<string, string> = { etag: `"${part.etag}"`, 'x-amz-server-side-encryption': 'AES256' };
  if (sentChecksum) headers[`x-amz-checksum-${sentChecksum.algorithm}`] = sentChecksum.value;
  return { status: 200, headers };
}

async function uploadPartCopy(
  ctx: S3Context,
  call: S3Call,
  uploadId: string,
  partNumber: number,
  copySource: string,
): Promise<EdgeResponse> {
  const source = parseCopySource(copySource);
  const version = ctx.store.getVersion(source.bucket, source.key, source.versionId);
  const rangeHeader = header(call.headers, 'x-amz-copy-source-range');
  const span = rangeHeader ? parseRange(rangeHeader, version.size) : undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(ctx.store.blobPath(source.bucket, version), span)) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  const part = await ctx.multipart.putPart(uploadId, { partNumber, etag: md5(bytes), size: bytes.length }, bytes);
  return restXmlProtocol.ok('CopyPartResult', { LastModified: part.lastModified, ETag: `"${part.etag}"` });
}

/** CompleteMultipartUpload: checks the part list, joins the parts and queues ObjectCreated:CompleteMultipartUpload. */
export async function completeMultipartUpload(ctx: S3Context, call: S3Call, bucket: string, key: string): Promise<EdgeResponse> {
  const uploadId = call.query.get('uploadId') ?? '';
  const upload = await ctx.multipart.get(uploadId, bucket, key);
  const parts = childrenOf(readXmlBody(call.body, ['CompleteMultipartUpload.Part']).CompleteMultipartUpload).Part;
  const requested = listOf(parts).map((part) => ({
    partNumber: Number(textOf(part.PartNumber)),
    etag: (textOf(part.ETag) ?? '').replace(/"/g, ''),
  }));
  if (requested.length === 0) throw malformedXml();
  const stored = new Map((await ctx.multipart.listParts(uploadId)).map((part) => [part.partNumber, part]));
  const chosen: UploadedPart[] = [];
  requested.forEach((want, index) => {
    if (index > 0 && want.partNumber <= requested[index - 1].partNumber) {
      throw new AwsServiceError(
        'InvalidPartOrder',
        400,
        'The list of parts was not in ascending order. Parts must be ordered by part number.',
        { UploadId: uploadId },
      );
    }
    const part = stored.get(want.partNumber);
    if (!part || part.etag !== want.etag) {
      throw new AwsServiceError(
        'InvalidPart',
        400,
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not have matched the part's entity tag.",
        { UploadId: uploadId, PartNumber: String(want.partNumber), ETag: want.etag },
      );
    }
    chosen.push(part);
  });
  chosen.slice(0, -1).forEach((part) => {
    if (part.size < MIN_PART_BYTES) {
      throw new AwsServiceError('EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed object size.', {
        PartNumber: String(part.partNumber),
        ProposedSize: String(part.size),
        MinSizeAllowed: String(MIN_PART_BYTES),
      });
    }
  });
  const etag = `${createHash('md5')
    .update(Buffer.concat(chosen.map((part) => Buffer.from(part.etag, 'hex'))))
    .digest('hex')}-${chosen.length}`;
  const size = chosen.reduce((sum, part) => sum + part.size, 0);
  const files = chosen.map((part) => ({ path: ctx.multipart.partPath(uploadId, part.partNumber) }));
  const checksum = await objectChecksum(
    upload.checksumAlgorithm,
    chosen,
    files.map((file) => file.path),
  );
  const version = await ctx.store.putObjectFromFiles(bucket, key, files, size, {
    etag,
    contentType: upload.contentType,
    systemHeaders: upload.systemHeaders,
    metadata: upload.metadata,
    checksum,
    partsCount: chosen.length,
  });
  await ctx.multipart.remove(uploadId);
  ctx.emitCreated('ObjectCreated:CompleteMultipartUpload', bucket, key, version);
  const headers: Record<string, string> = { 'x-amz-server-side-encryption': 'AES256' };
  if (ctx.store.bucketInfo(bucket).versioning) headers['x-amz-version-id'] = version.versionId;
  return restXmlProtocol.ok(
    'CompleteMultipartUploadResult',
    {
      Location: `http://127.0.0.1/${bucket}/${encodeURIComponent(key)}`,
      Bucket: bucket,
      Key: key,
      ETag: `"${etag}"`,
      [checksumElement(checksum.algorithm)]: checksum.value,
      ChecksumType: checksum.value.includes('-') ? 'COMPOSITE' : 'FULL_OBJECT',
    },
    headers,
  );
}

/**
 * The whole object's checksum as S3 derives it: for CRC32/CRC32C/SHA a composite "<checksum of the part checksums>-N",
 * otherwise a full-object CRC64NVME.
 */
async function objectChecksum(
  algorithm: StoredChecksum['algorithm'] | undefined,
  parts: UploadedPart[],
  paths: string[],
): Promise<StoredChecksum> {
  if (algorithm && algorithm !== 'crc64nvme' && parts.every((part) => part.checksum?.algorithm === algorithm)) {
    const joined = Buffer.concat(parts.map((part) => Buffer.from(part.checksum?.value ?? '', 'base64')));
    return { algorithm, value: `${await computeChecksum(algorithm, joined)}-${parts.length}` };
  }
  const hash = new Crc64Nvme();
  for (const path of paths) {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  }
  return { algorithm: 'crc64nvme', value: Buffer.from(await hash.digest()).toString('base64') };
}

/** AbortMultipartUpload. */
export async function abortMultipartUpload(ctx: S3Context, call: S3Call, bucket: string, key: string): Promise<EdgeResponse> {
  const uploadId = call.query.get('uploadId') ?? '';
  await ctx.multipart.get(uploadId, bucket, key);
  await ctx.multipart.remove(uploadId);
  return { status: 204 };
}

/** ListParts (one page of up to max-parts, default 1000). */
export async function listParts(ctx: S3Context, call: S3Call, bucket: string, key: string): Promise<EdgeResponse> {
  const uploadId = call.query.get('uploadId') ?? '';
  await ctx.multipart.get(uploadId, bucket, key);
  const marker = Number(call.query.get('part-number-marker') ?? 0);
  const maxParts = Math.min(Number(call.query.get('max-parts') ?? 1000), 1000);
  const after = (await ctx.multipart.listParts(uploadId)).filter((part) => part.partNumber > marker);
  const page = after.slice(0, maxParts);
  return restXmlProtocol.ok('ListPartsResult', {
    Bucket: bucket,
    Key: key,
    UploadId: uploadId,
    PartNumberMarker: marker,
    NextPartNumberMarker: page.at(-1)?.partNumber ?? marker,
    MaxParts: maxParts,
    IsTruncated: after.length > page.length,
    StorageClass: 'STANDARD',
    Part: page.map((part) => ({
      PartNumber: part.partNumber,
      LastModified: part.lastModified,
      ETag: `"${part.etag}"`,
      Size: part.size,
      ...(part.checksum ? { [checksumElement(part.checksum.algorithm)]: part.checksum.value } : {}),
    })),
  });
}

/** ListMultipartUploads (all in one page). */
export async function listMultipartUploads(ctx: S3Context, bucket: string): Promise<EdgeResponse> {
  ctx.store.bucketInfo(bucket);
  const uploads = await ctx.multipart.listUploads(bucket);
  return restXmlProtocol.ok('ListMultipartUploadsResult', {
    Bucket: bucket,
    KeyMarker: '',
    UploadIdMarker: '',
    MaxUploads: 1000,
    IsTruncated: false,
    Upload: uploads.map((upload) => ({
      Key: upload.key,
      UploadId: upload.uploadId,
      Initiated: upload.initiated,
      StorageClass: 'STANDARD',
    })),
  });
}

function md5(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('hex');
}
