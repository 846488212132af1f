import { S3Client } from '@aws-sdk/client-s3';
import { imageIdFor, ownerFromKey } from '@smart-image-pipeline/contracts';
import { UPLOAD_CONTENT_TYPES } from '../../src/api-deps';
import type { HttpError } from '../../src/http/http-error';
import { presignUpload } from '../../src/uploads/presigned-upload';
import { parseUploadRequest } from '../../src/uploads/upload-request';

const LIMITS = { maxBytes: 104857600, contentTypes: UPLOAD_CONTENT_TYPES };
const SUB = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const UPLOAD_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('parseUploadRequest', () => {
  const valid = { fileName: 'a.jpg', contentType: 'image/jpeg', size: 10 };

  it('accepts a valid request', () => {
    expect(parseUploadRequest(valid, LIMITS)).toEqual(valid);
  });

  it.each([
    ['an unknown field', { ...valid, bucket: 'other' }],
    ['a missing name', { ...valid, fileName: '' }],
    ['a type outside the list', { ...valid, contentType: 'image/svg+xml' }],
    ['a size over the limit', { ...valid, size: LIMITS.maxBytes + 1 }],
    ['a negative size', { ...valid, size: -1 }],
    ['a recipient: uploads never name who is told (issue 12)', { ...valid, notifyEmail: 'me@example.com' }],
  ])('refuses %s with 400', (_case, body) => {
    let status: number | undefined;
    try {
      parseUploadRequest(body as Record<string, unknown>, LIMITS);
    } catch (error) {
      status = (error as HttpError).status;
    }
    expect(status).toBe(400);
  });
});

describe('presignUpload', () => {
  // Presigning is local: the client signs with these credentials and never sends a request.
  const s3 = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });

  it("puts the file under the caller's own folder, with S3 enforcing key, type and size, and no recipient metadata", async () => {
    // Act
    const upload = await presignUpload(
      s3,
      'uploads-bucket',
      SUB,
      { fileName: '../x/cat photo.jpg', contentType: 'image/jpeg', size: 5000 },
      LIMITS,
      UPLOAD_ID,
      new Date('2026-11-25T12:00:00Z'),
    );
    const policy = JSON.parse(Buffer.from(upload.fields.Policy, 'base64').toString('utf8'));

    // Assess
    expect(upload.key).toBe(`uploads/${SUB}/${UPLOAD_ID}-.._x_cat photo.jpg`);
    expect(ownerFromKey(upload.key)).toBe(SUB);
    expect(upload.imageId).toBe(imageIdFor('uploads-bucket', upload.key));
    expect(upload.url).toBe('https://uploads-bucket.s3.eu-west-1.amazonaws.com/');
    expect(upload.fields).toMatchObject({ key: upload.key, 'Content-Type': 'image/jpeg' });
    expect(Object.keys(upload.fields).filter((name) => name.startsWith('x-amz-meta-'))).toEqual([]);
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, 5000],
        ['starts-with', '$Content-Type', 'image/'],
        ['eq', '$Content-Type', 'image/jpeg'],
        { key: upload.key },
        { bucket: 'uploads-bucket' },
      ]),
    );
    expect(Date.parse(policy.expiration) - Date.now()).toBeLessThanOrEqual(900_000);
  });
});
