import { AwsServiceError } from '../aws-error';
import type { EdgeRequest } from '../types';
import { messageOf, type AwsProtocol } from './protocol';

/** An answer with a text body, as the JSON protocols write them (also what a direct caller of a service reads). */
export interface TextResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The awsJson1_0 / awsJson1_1 protocol of one service (DynamoDB, Step Functions / SSM, Rekognition). */
export interface AwsJsonProtocol extends AwsProtocol {
  errorResponse(error: AwsServiceError): TextResponse;
  /** A 200 answer with the output as JSON. */
  ok(output: unknown): TextResponse;
  /**
   * The request body as a JSON object; an empty body is `{}`.
   * @throws AwsServiceError SerializationException when it is not a JSON object.
   */
  parseBody(req: EdgeRequest): Record<string, unknown>;
}

/** Options of one service's JSON protocol. */
export interface AwsJsonOptions {
  version: '1.0' | '1.1';
  /** Written before `#` in `__type` (e.g. `com.amazonaws.dynamodb.v20120810`), as the service does; none gives the bare code. */
  namespace?: string;
  /** The service's own name for an internal failure (default InternalServerError). */
  internalErrorCode?: string;
}

/**
 * The JSON protocol of one service. Errors carry the code in `x-amzn-ErrorType` and in `__type`, and the message in
 * `message`, which both SDK v3 and botocore read; extra fields join the body.
 */
export function awsJsonProtocol(options: AwsJsonOptions): AwsJsonProtocol {
  const contentType = `application/x-amz-json-${options.version}`;
  return {
    ok: (output) => ({ status: 200, headers: { 'content-type': contentType }, body: JSON.stringify(output) }),
    errorResponse: (error) => ({
      status: error.status,
      headers: { 'content-type': contentType, 'x-amzn-errortype': error.code, ...error.headers },
      body: JSON.stringify({
        __type: options.namespace ? `${options.namespace}#${error.code}` : error.code,
        message: error.message,
        ...error.extra,
      }),
    }),
    internalError: (cause) => new AwsServiceError(options.internalErrorCode ?? 'InternalServerError', 500, messageOf(cause)),
    parseBody(req) {
      if (req.body.length === 0) return {};
      let parsed: unknown;
      try {
        parsed = JSON.parse(req.body.toString('utf8'));
      } catch {
        throw new AwsServiceError('SerializationException', 400, 'The request body is not valid JSON');
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new AwsServiceError('SerializationException', 400, 'The request body must be a JSON object');
      }
      return parsed as Record<string, unknown>;
    },
  };
}
