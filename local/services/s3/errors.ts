import { AwsServiceError } from '../../edge/aws-error';

/** NoSuchBucket, 404. */
export const noSuchBucket = (bucket: string) =>
  new AwsServiceError('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket });

/** NoSuchKey, 404. */
export const noSuchKey = (key: string) => new AwsServiceError('NoSuchKey', 404, 'The specified key does not exist.', { Key: key });
