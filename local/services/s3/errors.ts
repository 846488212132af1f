/** An S3 error with the code, HTTP status and extra XML fields the real service puts in its error document. */
export class S3ServiceError extends Error {
  name = 'S3ServiceError';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly extra: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** NoSuchBucket, 404. */
export const noSuchBucket = (bucket: string) =>
  new S3ServiceError('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket });

/** NoSuchKey, 404. */
export const noSuchKey = (key: string) => new S3ServiceError('NoSuchKey', 404, 'The specified key does not exist.', { Key: key });
