import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3EventRecord } from 'aws-lambda';
import { startEdgeServer, type EdgeServer } from '../../../../edge/server';
import { AWS_CLI, awsCliAt } from '../../../../edge/tests/support/aws-cli';
import { computeChecksum } from '../../checksums';
import { createS3Service, type LocalS3Service } from '../../s3-service';

const AUTH = 'AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=0';
/** Frames a payload as SigV4 signed aws-chunked, the way the CLI and older SDKs stream uploads. */
function signedChunks(payload: Buffer, chunkSize: number, trailer?: string): Buffer {
  const parts: Buffer[] = [];
  for (let offset = 0; offset < payload.length; offset += chunkSize) {
    const chunk = payload.subarray(offset, offset + chunkSize);
    parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${'a'.repeat(64)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`0;chunk-signature=${'b'.repeat(64)}\r\n`));
  parts.push(Buffer.from(trailer ? `${trailer}\r\nx-amz-trailer-signature:${'c'.repeat(64)}\r\n\r\n` : '\r\n'));
  return Buffer.concat(parts);
}

describe('local S3 on the wire', () => {
  let dataDir: string;
  let s3: LocalS3Service;
  let edge: EdgeServer;
  const events: S3EventRecord[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sip-s3-wire-'));
    s3 = await createS3Service({ dataDir });
    s3.onObjectCreated((record) => {
      events.push(record);
    });
    await s3.createBucket('wire');
    edge = await startEdgeServer({ port: 0, services: [s3], faults: {}, maxBodyBytes: 8 * 1024 * 1024 });
  });
  afterAll(async () => {
    await edge.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stores a signed aws-chunked body with a trailing CRC32 byte-exact', async () => {
    // Prepare
    const payload = Buffer.from(Array.from({ length: 200_000 }, (_, index) => (index * 131) & 255));
    const crc = await computeChecksum('crc32', payload);
    const body = signedChunks(payload, 65536, `x-amz-checksum-crc32:${crc}`);

    // Act
    const response = await fetch(`${edge.url}/wire/signed.bin`, {
      method: 'PUT',
      body: new Uint8Array(body),
      headers: {
        authorization: AUTH,
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': String(payload.length),
        'x-amz-trailer': 'x-amz-checksum-crc32',
      },
    });

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('x-amz-checksum-crc32')).toBe(crc);
    expect((await s3.getObjectBytes('wire', 'signed.bin')).equals(payload)).toBe(true);
  });

  it('refuses a body whose trailing checksum does not match with BadDigest and stores nothing', async () => {
    // Prepare
    const body = signedChunks(Buffer.from('real bytes'), 4, 'x-amz-checksum-crc32:AAAAAA==');

    // Act
    const response = await fetch(`${edge.url}/wire/bad-crc.bin`, {
      method: 'PUT',
      body: new Uint8Array(body),
      headers: {
        authorization: AUTH,
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': '10',
      },
    });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>BadDigest</Code>');
    expect(s3.listObjects('wire', { prefix: 'bad-crc' })).toEqual([]);
  });

  it('refuses a chunked body shorter than its decoded length with IncompleteBody', async () => {
    // Act
    const response = await fetch(`${edge.url}/wire/short.bin`, {
      method: 'PUT',
      body: new Uint8Array(signedChunks(Buffer.from('12345'), 5)),
      headers: { authorization: AUTH, 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'x-amz-decoded-content-length': '99' },
    });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>IncompleteBody</Code>');
  });

  it('refuses a payload whose x-amz-content-sha256 does not match', async () => {
    // Act
    const response = await fetch(`${edge.url}/wire/sha.bin`, {
      method: 'PUT',
      body: 'abc',
      headers: { authorization: AUTH, 'x-amz-content-sha256': createHash('sha256').update('abd').digest('hex') },
    });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('XAmzContentSHA256Mismatch');
  });

  it('keeps both versions when two PUTs to one key race in a versioned bucket', async () => {
    // Prepare
    await s3.createBucket('race', { versioning: true });
    events.length = 0;

    // Act
    const responses = await Promise.all(
      ['one', 'two', 'three'].map((text) => fetch(`${edge.url}/race/k`, { method: 'PUT', body: text, headers: { authorization: AUTH } })),
    );
    await s3.drainEvents();
    const versions = responses.map((response) => response.headers.get('x-amz-version-id'));

    // Assess
    expect(new Set(versions).size).toBe(3);
    for (const [index, text] of ['one', 'two', 'three'].entries()) {
      expect((await s3.getObjectBytes('race', 'k', versions[index] ?? undefined)).toString()).toBe(text);
    }
    expect(new Set(events.map((event) => event.s3.object.sequencer)).size).toBe(3);
  });

  it('URL-encodes keys, prefixes and the delimiter in a listing with encoding-type=url, as S3 does', async () => {
    // Prepare
    await s3.putObject('wire', 'enc/a b+&<ü>/one', Buffer.from('1'));
    await s3.putObject('wire', 'enc/top&.txt', Buffer.from('2'));

    // Act
    const response = await fetch(`${edge.url}/wire?list-type=2&prefix=enc%2F&delimiter=%2F&encoding-type=url`, {
      headers: { authorization: AUTH },
    });
    const xml = await response.text();

    // Assess
    expect(xml).toContain('<Prefix>enc/</Prefix><Delimiter>/</Delimiter>');
    expect(xml).toContain('<EncodingType>url</EncodingType>');
    expect(xml).toContain('<Key>enc/top%26.txt</Key>');
    expect(xml).toContain('<CommonPrefixes><Prefix>enc/a+b%2B%26%3C%C3%BC%3E/</Prefix></CommonPrefixes>');
  });

  it('answers a DeleteObjects document that is not well-formed with MalformedXML and deletes nothing', async () => {
    // Prepare
    await s3.putObject('wire', 'keep/me', Buffer.from('1'));

    // Act
    const response = await fetch(`${edge.url}/wire?delete`, {
      method: 'POST',
      body: '<Delete><Object><Key>keep/me</Key></Object>',
      headers: { authorization: AUTH },
    });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>MalformedXML</Code>');
    expect(s3.listObjects('wire', { prefix: 'keep/' })).toHaveLength(1);
  });

  it('escapes keys in a plain listing, writing CR as a character reference', async () => {
    // Prepare
    await s3.putObject('wire', 'esc/<a>&"b"\r', Buffer.from('1'));

    // Act
    const xml = await (await fetch(`${edge.url}/wire?list-type=2&prefix=esc%2F`, { headers: { authorization: AUTH } })).text();

    // Assess
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ListBucketResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/,
    );
    expect(xml).toContain('<Key>esc/&lt;a&gt;&amp;&quot;b&quot;&#13;</Key>');
  });

  (AWS_CLI ? it : it.skip)(
    'lists and batch-deletes odd keys with the AWS CLI (encoding-type=url listing, DeleteObjects XML)',
    async () => {
      // Prepare
      const cli = awsCliAt(edge.url);
      const keys = ['cli-rm/a b+c.txt', 'cli-rm/x&y<z>.txt', 'cli-rm/ünï 😀.txt', 'cli-rm/100%.txt'];
      for (const key of keys) await s3.putObject('wire', key, Buffer.from(key));

      // Act
      const listed = JSON.parse((await cli('s3api', 'list-objects-v2', '--bucket', 'wire', '--prefix', 'cli-rm/')).stdout) as {
        Contents: { Key: string }[];
      };
      await cli('s3', 'rm', 's3://wire/cli-rm/', '--recursive', '--only-show-errors');

      // Assess
      expect(listed.Contents.map((item) => item.Key).sort()).toEqual([...keys].sort());
      expect(s3.listObjects('wire', { prefix: 'cli-rm/' })).toEqual([]);
    },
    60_000,
  );

  (AWS_CLI ? it : it.skip)(
    'works with the AWS CLI (multipart upload of an odd key, download)',
    async () => {
      // Prepare
      const cli = awsCliAt(edge.url);
      const source = join(dataDir, 'cli-source.bin');
      const back = join(dataDir, 'cli-back.bin');
      const payload = Buffer.from(Array.from({ length: 9 * 1024 * 1024 }, (_, index) => (index * 7) & 255));
      await writeFile(source, payload);

      // Act
      await cli('s3', 'cp', source, 's3://wire/cli/a b+(1)&ü.bin', '--only-show-errors');
      await cli('s3', 'cp', 's3://wire/cli/a b+(1)&ü.bin', back, '--only-show-errors');

      // Assess
      expect((await readFile(back)).equals(payload)).toBe(true);
      expect(s3.headObject('wire', 'cli/a b+(1)&ü.bin').eTag).toMatch(/-\d+$/);
    },
    60_000,
  );
  it('serves a SigV2 presigned GET (AWS CLI v1 `s3 presign`) and refuses it once expired', async () => {
    // Prepare
    await s3.putObject('wire', 'v2/phöto one.jpg', Buffer.from('v2 bytes'));
    const path = `${edge.url}/wire/v2/ph%C3%B6to%20one.jpg?AWSAccessKeyId=test&Signature=abc%3D`;
    const future = Math.floor(Date.now() / 1000) + 3600;
    const past = Math.floor(Date.now() / 1000) - 10;

    // Act
    const valid = await fetch(`${path}&Expires=${future}`);
    const expired = await fetch(`${path}&Expires=${past}`);

    // Assess
    expect(valid.status).toBe(200);
    expect(await valid.text()).toBe('v2 bytes');
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('<Code>AccessDenied</Code>');
  });
});
