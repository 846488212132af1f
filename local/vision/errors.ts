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
  | 'InternalServerError'
  | 'ServiceUnavailableException';

const STATUS: Record<RekognitionErrorType, number> = {
  InvalidParameterException: 400,
  InvalidImageFormatException: 400,
  ImageTooLargeException: 400,
  InvalidS3ObjectException: 400,
  UnknownOperationException: 400,
  InternalServerError: 500,
  ServiceUnavailableException: 503,
};

/** One Rekognition error with its wire name and HTTP status. */
export class RekognitionError extends Error {
  readonly type: RekognitionErrorType;
  readonly status: number;

  constructor(type: RekognitionErrorType, message: string) {
    super(message);
    this.name = 'RekognitionError';
    this.type = type;
    this.status = STATUS[type];
  }
}

/** Builds the InvalidParameterException that Rekognition sends for malformed requests and too-small images. */
export function invalidParameter(detail?: string): RekognitionError {
  return new RekognitionError('InvalidParameterException', detail ? `Request has invalid parameters: ${detail}` : 'Request has invalid parameters');
}

/** Builds the InvalidImageFormatException that Rekognition sends for anything but a decodable JPEG or PNG. */
export function invalidImageFormat(detail?: string): RekognitionError {
  return new RekognitionError('InvalidImageFormatException', detail ? `Request has invalid image format: ${detail}` : 'Request has invalid image format');
}

/** True when a value crossing the worker boundary is a serialised RekognitionError. */
export function isRekognitionErrorType(value: unknown): value is RekognitionErrorType {
  return typeof value === 'string' && value in STATUS;
}
