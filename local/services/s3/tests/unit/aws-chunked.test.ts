import { decodeAwsChunked, isAwsChunked, MalformedChunkedBodyError } from '../../aws-chunked';

function frame(chunks: Buffer[], trailer: string, signed: boolean): Buffer {
  const signature = (index: number) => (signed ? `;chunk-signature=${String(index).repeat(64).slice(0, 64)}` : '');
  const parts: Buffer[] = [];
  chunks.forEach((chunk, index) =>
    parts.push(Buffer.from(`${chunk.length.toString(16)}${signature(index)}\r\n`), chunk, Buffer.from('\r\n')),
  );
  parts.push(Buffer.from(`0${signature(chunks.length)}\r\n${trailer}\r\n`));
  return Buffer.concat(parts);
}

describe('decodeAwsChunked', () => {
  it('strips signed chunk framing byte-exact, even when the data contains CRLF and framing-like text', () => {
    // Prepare
    const chunks = [Buffer.from('a\r\n0\r\nx-amz-checksum-crc32:AAAA\r\n'), Buffer.from([0, 255, 13, 10, 13, 10])];

    // Act
    const decoded = decodeAwsChunked(frame(chunks, 'x-amz-checksum-crc32:Q3yoGw==\r\nx-amz-trailer-signature:abc\r\n', true));

    // Assess
    expect(decoded.payload.equals(Buffer.concat(chunks))).toBe(true);
    expect(decoded.trailers).toEqual({ 'x-amz-checksum-crc32': 'Q3yoGw==', 'x-amz-trailer-signature': 'abc' });
  });

  it('decodes unsigned chunks with a trailing checksum', () => {
    // Act
    const decoded = decodeAwsChunked(frame([Buffer.from('hello')], 'x-amz-checksum-sha256:abc=\r\n', false));

    // Assess
    expect(decoded.payload.toString()).toBe('hello');
    expect(decoded.trailers['x-amz-checksum-sha256']).toBe('abc=');
  });

  it('refuses a chunk cut short and a bad size line', () => {
    expect(() => decodeAwsChunked(Buffer.from('10\r\nshort\r\n0\r\n\r\n'))).toThrow(MalformedChunkedBodyError);
    expect(() => decodeAwsChunked(Buffer.from('zz\r\nhello\r\n'))).toThrow(MalformedChunkedBodyError);
  });

  it('recognises aws-chunked by the content hash or the content encoding', () => {
    expect(isAwsChunked({ 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' })).toBe(true);
    expect(isAwsChunked({ 'content-encoding': 'gzip, aws-chunked' })).toBe(true);
    expect(isAwsChunked({ 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' })).toBe(false);
  });
});
