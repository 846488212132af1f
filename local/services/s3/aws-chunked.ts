/** The aws-chunked body could not be decoded; S3 answers such requests with IncompleteBody. */
export class MalformedChunkedBodyError extends Error {
  name = 'MalformedChunkedBodyError';
}

/** A decoded aws-chunked body: the payload bytes and the trailing headers (e.g. x-amz-checksum-crc32). */
export interface DecodedChunkedBody {
  payload: Buffer;
  trailers: Record<string, string>;
}

const CRLF = Buffer.from('\r\n');

/** True when the request body uses aws-chunked framing (SigV4 streaming or unsigned-with-trailer). */
export function isAwsChunked(headers: Record<string, string | string[] | undefined>): boolean {
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  const encoding = String(headers['content-encoding'] ?? '');
  return sha.startsWith('STREAMING-') || encoding.split(',').some((part) => part.trim() === 'aws-chunked');
}

/**
 * Strips aws-chunked framing ("<hex size>[;chunk-signature=…]\r\n<data>\r\n", a zero chunk, then trailers) byte-exact.
 * Chunk signatures are parsed but not verified, as local mode accepts any credentials.
 * @throws MalformedChunkedBodyError when a size line, chunk or trailer is cut or malformed.
 */
export function decodeAwsChunked(body: Buffer): DecodedChunkedBody {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf(CRLF, offset);
    if (lineEnd < 0) throw new MalformedChunkedBodyError('chunk size line has no CRLF');
    const sizeField = body.subarray(offset, lineEnd).toString('latin1').split(';')[0].trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeField)) throw new MalformedChunkedBodyError(`bad chunk size "${sizeField}"`);
    const size = parseInt(sizeField, 16);
    offset = lineEnd + 2;
    if (size === 0) break;
    if (offset + size + 2 > body.length) throw new MalformedChunkedBodyError('chunk is shorter than its declared size');
    parts.push(body.subarray(offset, offset + size));
    offset += size;
    if (body[offset] !== 0x0d || body[offset + 1] !== 0x0a) throw new MalformedChunkedBodyError('chunk data is not followed by CRLF');
    offset += 2;
  }
  return { payload: Buffer.concat(parts), trailers: readTrailers(body.subarray(offset)) };
}

function readTrailers(rest: Buffer): Record<string, string> {
  const trailers: Record<string, string> = {};
  for (const line of rest.toString('latin1').split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon < 1) throw new MalformedChunkedBodyError(`bad trailer line "${line.slice(0, 40)}"`);
    trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return trailers;
}
