import { AwsServiceError } from '../aws-error';
import type { EdgeRequest, EdgeResponse } from '../types';
import { messageOf, type AwsProtocol } from './protocol';

/** The restJson1 protocol (SES v2, Lambda): operations by method and path, JSON bodies. */
export interface RestJsonProtocol extends AwsProtocol {
  /** An answer with the output as JSON. */
  ok(output: unknown, status?: number, headers?: Record<string, string>): EdgeResponse;
  /**
   * The request body as JSON; an empty body is `{}`.
   * @throws AwsServiceError with `invalidBodyCode` when it is not JSON.
   */
  parseBody(req: EdgeRequest): unknown;
}

/** Options of one service's REST-JSON protocol. */
export interface RestJsonOptions {
  /** The service's name for a body that is not JSON (SES BadRequestException, Lambda InvalidRequestContentException). */
  invalidBodyCode: string;
  invalidBodyMessage?: string;
  /** The service's name for an internal failure (default InternalFailure). */
  internalErrorCode?: string;
}

/** The REST-JSON protocol of one service: the code in `x-amzn-ErrorType`, the message and extra fields in the body. */
export function restJsonProtocol(options: RestJsonOptions): RestJsonProtocol {
  return {
    ok: (output, status = 200, headers = {}) => ({
      status,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(output),
    }),
    errorResponse: (error) => ({
      status: error.status,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': error.code, ...error.headers },
      body: JSON.stringify({ ...error.extra, message: error.message }),
    }),
    internalError: (cause) => new AwsServiceError(options.internalErrorCode ?? 'InternalFailure', 500, messageOf(cause)),
    parseBody(req) {
      if (req.body.length === 0) return {};
      try {
        return JSON.parse(req.body.toString('utf8')) as unknown;
      } catch {
        throw new AwsServiceError(options.invalidBodyCode, 400, options.invalidBodyMessage ?? 'The request body is not valid JSON');
      }
    },
  };
}
