import { AwsServiceError } from '../aws-error';
import type { EdgeResponse } from '../types';

/** How one AWS wire protocol writes an AwsServiceError, and what an unexpected exception becomes in it. */
export interface AwsProtocol {
  /** The protocol's error document for the error, with its status and headers. */
  errorResponse(error: AwsServiceError): EdgeResponse;
  /** The service's generic 500 for an exception that is not an AwsServiceError (a local bug, a crashed dependency). */
  internalError(cause: unknown): AwsServiceError;
}

/** Any thrown value as an AwsServiceError of the protocol; an AwsServiceError stays what it is. */
export function asServiceError(protocol: AwsProtocol, error: unknown): AwsServiceError {
  return error instanceof AwsServiceError ? error : protocol.internalError(error);
}

/** The message of an unknown thrown value. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
