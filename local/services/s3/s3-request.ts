import type { IncomingHttpHeaders } from 'node:http';
import type { EdgeRequest } from '../../edge/types';
import { decodeAwsChunked, isAwsChunked, MalformedChunkedBodyError } from './aws-chunked';
import { AwsServiceError } from '../../edge/aws-error';

/** An S3 call with bucket and key taken from the raw path (path style) or the Host (virtual-host style). */
export interface S3Call {
  method: string;
  bucket?: string;
  key?: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Payload with any aws-chunked framing removed. */
  body: Buffer;
  /** Trailing headers of an aws-chunked body (e.g. x-amz-checksum-crc32). */
  trailers: Record<string, string>;
}

/** Longest key S3 takes, in UTF-8 bytes. */
const MAX_KEY_BYTES = 1024;

/**
 * Reads the S3 addressing and payload of an edge request.
 * @throws AwsServiceError InvalidURI, KeyTooLongError, IncompleteBody.
 */
export function parseS3Call(req: EdgeRequest): S3Call {
  const raw = req.rawPath ?? `${req.url.pathname}${req.url.search}`;
  const questionMark = raw.indexOf('?');
  const rawPathname = questionMark < 0 ? raw : raw.slice(0, questionMark);
  const pathname = decodePath(rawPathname);
  const hostBucket = virtualHostBucket(req.headers.host);
  let bucket: string | undefined;
  let key: string | undefined;
  if (hostBucket) {
    bucket = hostBucket;
    key = pathname.slice(1) || undefined;
  } else {
    const rest = pathname.slice(1);
    const slash = rest.indexOf('/');
    bucket = (slash < 0 ? rest : rest.slice(0, slash)) || undefined;
    key = slash < 0 ? undefined : rest.slice(slash + 1) || undefined;
  }
  if (key !== undefined && Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw new AwsServiceError('KeyTooLongError', 400, 'Your key is too long', { MaxSizeAllowed: String(MAX_KEY_BYTES) });
  }
  const { body, trailers } = readPayload(req.headers, req.body);
  return { method: req.method.toUpperCase(), bucket, key, query: req.url.searchParams, headers: req.headers, body, trailers };
}

function decodePath(rawPathname: string): string {
  try {
    // Only percent-decoding: in a path "+" is a literal plus, unlike in an S3 event key.
    return decodeURIComponent(rawPathname);
  } catch {
    throw new AwsServiceError('InvalidURI', 400, "Couldn't parse the specified URI.");
  }
}

/** "<bucket>.localhost[:port]" (or "<bucket>.s3.localhost") names the bucket in the Host, as the SDK does without forcePathStyle. */
function virtualHostBucket(host: string | undefined): string | undefined {
  const hostname = (host ?? '').split(':')[0].toLowerCase();
  const match = /^(.+?)(?:\.s3)?\.localhost$/.exec(hostname);
  return match?.[1];
}

function readPayload(headers: IncomingHttpHeaders, body: Buffer): { body: Buffer; trailers: Record<string, string> } {
  if (!isAwsChunked(headers)) return { body, trailers: {} };
  let decoded;
  try {
    decoded = decodeAwsChunked(body);
  } catch (error) {
    if (error instanceof MalformedChunkedBodyError) {
      throw new AwsServiceError('IncompleteBody', 400, `The request body could not be decoded: ${error.message}`);
    }
    throw error;
  }
  const declared = headers['x-amz-decoded-content-length'];
  if (declared !== undefined && Number(declared) !== decoded.payload.length) {
    throw new AwsServiceError('IncompleteBody', 400, 'You did not provide the number of bytes specified by the Content-Length HTTP header');
  }
  return { body: decoded.payload, trailers: decoded.trailers };
}

/** First value of a header, as a string. */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
