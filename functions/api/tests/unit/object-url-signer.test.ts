import { GetObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import fc from 'fast-check';
import { objectUrlSigner } from '../../src/images/object-url-signer';

// Presigning is local: the client signs with these credentials and never sends a request.
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session/token+=' };

const CLIENTS: Array<[string, S3ClientConfig, string]> = [
  ['virtual-hosted style in us-east-1', { region: 'us-east-1' }, 'sip-processed-123456789012-us-east-1'],
  ['virtual-hosted style in another region', { region: 'eu-west-2' }, 'sip-processed-123456789012-eu-west-2'],
  ['a bucket name with dots (path style)', { region: 'us-east-1' }, 'processed.example.com'],
  [
    'a custom endpoint in path style (local mode)',
    { region: 'us-east-1', endpoint: 'http://127.0.0.1:4566', forcePathStyle: true },
    'bucket',
  ],
  ['a custom endpoint, virtual-hosted', { region: 'us-east-1', endpoint: 'https://s3.example.test' }, 'bucket'],
  [
    "the API's checksum settings (no x-amz-checksum-mode)",
    { region: 'us-east-1', requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' },
    'bucket',
  ],
];

/** Object keys with every kind of character a key may hold: spaces, reserved and non-ASCII characters, slashes. */
const keys = fc
  .array(
    fc.string({
      unit: fc.constantFrom('a', 'Z', '0', ' ', '/', '%', '+', '=', '&', '?', '#', '!', "'", '(', '*', '~', 'é', '日', '😀'),
      minLength: 1,
      maxLength: 12,
    }),
    {
      minLength: 1,
      maxLength: 4,
    },
  )
  .map((parts) => `images/${parts.join('/')}`);

describe('objectUrlSigner', () => {
  it.each(CLIENTS)('signs exactly the URL getSignedUrl signs, with %s', async (_case, config, bucket) => {
    // Arrange
    const s3 = new S3Client({ ...config, credentials: CREDENTIALS });
    const sign = objectUrlSigner(s3, bucket);

    // Act + Assess
    await fc.assert(
      fc.asyncProperty(
        keys,
        fc.constantFrom('image/webp', 'image/jpeg', 'application/octet-stream'),
        fc.integer({ min: 1, max: 604800 }),
        fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
        async (key, contentType, expiresIn, signingDate) => {
          const expected = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentType: contentType }), {
            expiresIn,
            signingDate,
          });
          expect(await sign(key, { responseContentType: contentType, expiresIn, signingDate })).toBe(expected);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('tries the endpoint again after a failure instead of keeping the error', async () => {
    // Arrange: no credentials at first, then some
    let credentials: typeof CREDENTIALS | undefined;
    const s3 = new S3Client({
      region: 'us-east-1',
      credentials: async () => {
        if (!credentials) throw new Error('no credentials yet');
        return credentials;
      },
    });
    const sign = objectUrlSigner(s3, 'bucket');
    const options = { responseContentType: 'image/webp', expiresIn: 600, signingDate: new Date('2026-01-01T00:00:00Z') };

    // Act
    const first = sign('images/a.webp', options);
    await expect(first).rejects.toThrow('no credentials yet');
    credentials = CREDENTIALS;
    const second = await sign('images/a.webp', options);

    // Assess
    expect(second).toContain('X-Amz-Signature=');
  });
});
