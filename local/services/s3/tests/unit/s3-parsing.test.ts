import { encodeEventKey } from '../../event-record';
import { decodeCursor, encodeCursor, listPage } from '../../listing';
import { parseCopySource, parseRange } from '../../object-operations';
import type { ObjectVersion } from '../../store';

const version = {
  versionId: 'null',
  size: 1,
  etag: 'e',
  lastModified: '',
  systemHeaders: {},
  metadata: {},
  sequencer: '1',
} as ObjectVersion;
const entries = (keys: string[]) => keys.map((key) => ({ key, version }));

describe('encodeEventKey', () => {
  it('form-encodes keys the way S3 events do, keeping slashes', () => {
    expect(encodeEventKey('uploads/a b+(1)&ü.jpg')).toBe('uploads/a+b%2B%281%29%26%C3%BC.jpg');
    expect(encodeEventKey('x/~y*_.-')).toBe('x/%7Ey*_.-');
  });

  it('round-trips through the trigger function decoding (+ to space, then percent-decoding)', () => {
    const key = 'uploads/ä ö+%20 ../😀.png';
    expect(decodeURIComponent(encodeEventKey(key).replace(/\+/g, ' '))).toBe(key);
  });
});

describe('parseRange', () => {
  it('reads closed, open and suffix ranges', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=95-200', 100)).toEqual({ start: 95, end: 99 });
  });

  it('throws InvalidRange past the end and ignores malformed ranges', () => {
    expect(() => parseRange('bytes=100-', 100)).toThrow(expect.objectContaining({ code: 'InvalidRange', status: 416 }));
    expect(parseRange('lines=1-2', 100)).toBeUndefined();
  });
});

describe('parseCopySource', () => {
  it('decodes the key and keeps the version query apart', () => {
    expect(parseCopySource('/bucket/a%20b%2B%3F.jpg?versionId=v1')).toEqual({ bucket: 'bucket', key: 'a b+?.jpg', versionId: 'v1' });
  });

  it('refuses a source without a key', () => {
    expect(() => parseCopySource('bucket')).toThrow(expect.objectContaining({ code: 'InvalidArgument' }));
  });
});

describe('listPage', () => {
  it('rolls keys up into common prefixes that count once towards max-keys', () => {
    // Act
    const page = listPage(entries(['a/1', 'a/2', 'b', 'c/1']), { prefix: '', delimiter: '/', maxKeys: 2 });

    // Assess
    expect(page.commonPrefixes).toEqual(['a/']);
    expect(page.contents.map((entry) => entry.key)).toEqual(['b']);
    expect(page.isTruncated).toBe(true);
  });

  it('resumes after a common prefix without repeating it', () => {
    // Act
    const page = listPage(entries(['a/1', 'a/2', 'b']), {
      prefix: '',
      delimiter: '/',
      maxKeys: 10,
      cursor: decodeCursor(encodeCursor({ after: 'a/', skipPrefix: true })),
    });

    // Assess
    expect(page.commonPrefixes).toEqual([]);
    expect(page.contents.map((entry) => entry.key)).toEqual(['b']);
  });

  it('rejects a continuation token it did not make', () => {
    expect(decodeCursor('not-a-token')).toBeUndefined();
  });
});
