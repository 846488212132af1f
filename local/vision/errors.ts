import { AwsServiceError } from '../edge/aws-error';

/**
 * Rekognition's error names, as the JSON 1.1 protocol carries them in `__type` and `x-amzn-ErrorType`.
 * The SDK turns each name into its modelled exception class, so callers catch the same classes as in the cloud.
 */
export type RekognitionErrorType =
  | 'InvalidParameterException'
  | 'InvalidImageFormatException'
  | 'ImageTooLargeException'
  | 'InvalidS3ObjectException'
  | 'UnknownOperationException'
  | 'ResourceNotFoundException'
  | 'ResourceAlreadyExistsException'
  | 'VideoTooLargeException'
  | 'InvalidPaginationTokenException'
  | 'InternalServerError'
  | 'ServiceUnavailableException';

const STATUS: Record<RekognitionErrorType, number> = {
  InvalidParameterException: 400,
  InvalidImageFormatException: 400,
  ImageTooLargeException: 400,
  InvalidS3ObjectException: 400,
  UnknownOperationException: 400,
  ResourceNotFoundException: 400,
  ResourceAlreadyExistsException: 400,
  VideoTooLargeException: 400,
  InvalidPaginationTokenException: 400,
  InternalServerError: 500,
  ServiceUnavailableException: 503,
};

/** One Rekognition error: the shared AWS error type, with the HTTP status Rekognition gives its code. */
export class RekognitionError extends AwsServiceError {
  declare readonly code: RekognitionErrorType;

  constructor(code: RekognitionErrorType, message: string) {
    super(code, STATUS[code], message);
  }
}

/** Builds the InvalidParameterException that Rekognition sends for malformed requests and too-small images. */
export function invalidParameter(detail?: string): RekognitionError {
  return new RekognitionError(
    'InvalidParameterException',
    detail ? `Request has invalid parameters: ${detail}` : 'Request has invalid parameters',
  );
}

/** Builds the InvalidImageFormatException that Rekognition sends for anything but a decodable JPEG or PNG. */
export function invalidImageFormat(detail?: string): RekognitionError {
  return new RekognitionError(
    'InvalidImageFormatException',
    detail ? `Request has invalid image format: ${detail}` : 'Request has invalid image format',
  );
}

/** True when a value crossing the worker boundary is a serialised RekognitionError. */
export function isRekognitionErrorType(value: unknown): value is RekognitionErrorType {
  return typeof value === 'string' && value in STATUS;
}
