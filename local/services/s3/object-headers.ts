import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { CHECKSUM_ALGORITHMS, computeChecksum, isChecksumAlgorithm, type ChecksumAlgorithm, type StoredChecksum } from './checksums';
import { AwsServiceError } from '../../edge/aws-error';
import { header } from './s3-request';
import type { ObjectVersion } from './store';

/** Standard headers S3 stores with an object and returns on GET/HEAD. */
const SYSTEM_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'];

/** User metadata (x-amz-meta-*) of a request, names lower-cased without the prefix. */
export function readUserMetadata(headers: IncomingHttpHeaders): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-amz-meta-') && value !== undefined)
      metadata[name.slice('x-amz-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
  }
  return metadata;
}

/** Content-Type (S3's default binary/octet-stream) and the standard headers to keep. */
export function readSystemHeaders(headers: IncomingHttpHeaders): { contentType: string; systemHeaders: Record<string, string> } {
  const systemHeaders: Record<string, string> = {};
  for (const name of SYSTEM_HEADERS) {
    let value = header(headers, name);
    // aws-chunked describes the transfer, not the object; S3 drops it and keeps any other coding.
    if (name === 'content-encoding' && value)
      value = value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part && part !== 'aws-chunked')
        .join(',');
    if (value) systemHeaders[name] = value;
  }
  return { contentType: header(headers, 'content-type') || 'binary/octet-stream', systemHeaders };
}

/**
 * Checks Content-MD5, x-amz-content-sha256 and any x-amz-checksum-* (header or trailer) against the bytes,
 * and returns the checksum to store: the client's, else CRC64NVME as S3 computes by default.
 * @throws AwsServiceError BadDigest, InvalidDigest, XAmzContentSHA256Mismatch.
 */
export async function verifyPayload(headers: IncomingHttpHeaders, trailers: Record<string, string>, body: Buffer): Promise<StoredChecksum> {
  const md5 = header(headers, 'content-md5');
  if (md5 !== undefined) {
    if (Buffer.from(md5, 'base64').length !== 16)
      throw new AwsServiceError('InvalidDigest', 400, 'The Content-MD5 you specified is not valid.');
    if (createHash('md5').update(body).digest('base64') !== md5) {
      throw new AwsServiceError('BadDigest', 400, 'The Content-MD5 you specified did not match what we received.');
    }
  }
  const contentSha = header(headers, 'x-amz-content-sha256');
  if (contentSha && /^[0-9a-f]{64}$/.test(contentSha) && createHash('sha256').update(body).digest('hex') !== contentSha) {
    throw new AwsServiceError(
      'XAmzContentSHA256Mismatch',
      400,
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  }
  let provided: StoredChecksum | undefined;
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = trailers[`x-amz-checksum-${algorithm}`] ?? header(headers, `x-amz-checksum-${algorithm}`);
    if (value === undefined) continue;
    const actual = await computeChecksum(algorithm, body);
    if (actual !== value) {
      throw new AwsServiceError('BadDigest', 400, `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`);
    }
    provided = { algorithm, value };
  }
  return provided ?? { algorithm: 'crc64nvme', value: await computeChecksum('crc64nvme', body) };
}

/** The algorithm a CreateMultipartUpload or CopyObject asks for, if any. */
export function requestedAlgorithm(headers: IncomingHttpHeaders): ChecksumAlgorithm | undefined {
  const name = (header(headers, 'x-amz-checksum-algorithm') ?? '').toLowerCase();
  return isChecksumAlgorithm(name) ? name : undefined;
}

/**
 * Tags of a request's x-amz-tagging header (URL query form, "retention=raw-analysis&team=a"); S3 allows at most 10.
 * @throws AwsServiceError InvalidTag for more than 10 tags or an empty key.
 */
export function readTagging(headers: IncomingHttpHeaders): Record<string, string> {
  const raw = header(headers, 'x-amz-tagging');
  if (raw === undefined || raw === '') return {};
  const tags: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (key === '') throw new AwsServiceError('InvalidTag', 400, 'The TagKey you have provided is invalid');
    tags[key] = value;
  }
  if (Object.keys(tags).length > 10) throw new AwsServiceError('BadRequest', 400, 'Object tags cannot be greater than 10');
  return tags;
}

/** Response headers describing a stored version (shared by GET and HEAD). */
export function versionHeaders(version: ObjectVersion, versioned: boolean, withChecksum: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': version.contentType ?? 'binary/octet-stream',
    etag: `"${version.etag}"`,
    'last-modified': new Date(version.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
    'x-amz-server-side-encryption': 'AES256',
    ...version.systemHeaders,
  };
  if (versioned) headers['x-amz-version-id'] = version.versionId;
  if (version.partsCount) headers['x-amz-mp-parts-count'] = String(version.partsCount);
  if (version.tags) headers['x-amz-tagging-count'] = String(Object.keys(version.tags).length);
  for (const [name, value] of Object.entries(version.metadata)) headers[`x-amz-meta-${name}`] = value;
  if (withChecksum && version.checksum) {
    headers[`x-amz-checksum-${version.checksum.algorithm}`] = version.checksum.value;
    headers['x-amz-checksum-type'] = version.checksum.value.includes('-') ? 'COMPOSITE' : 'FULL_OBJECT';
  }
  return headers;
}

/** The XML element name S3 uses for a checksum, e.g. ChecksumCRC64NVME. */
export function checksumElement(algorithm: ChecksumAlgorithm): string {
  return `Checksum${algorithm.toUpperCase()}`;
}
