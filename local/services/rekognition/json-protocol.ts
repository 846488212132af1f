import { awsJsonProtocol, type TextResponse } from '../../edge/protocols/aws-json';
import { RekognitionError } from '../../vision/errors';

/** Rekognition's JSON 1.1 protocol; its `__type` is the bare code. */
export const REKOGNITION_JSON = awsJsonProtocol({ version: '1.1' });

/** One HTTP answer in AWS's JSON 1.1 protocol. */
export type JsonProtocolResponse = TextResponse;

/** A 200 answer carrying a response body. */
export function okResponse(body: string): JsonProtocolResponse {
  return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body };
}

/** An error answer the SDK maps onto its named exception (from `x-amzn-ErrorType` and `__type`). */
export function errorResponse(error: unknown): JsonProtocolResponse {
  const known = error instanceof RekognitionError ? error : new RekognitionError('InternalServerError', `Local vision service error: ${(error as Error)?.message ?? String(error)}`);
  return REKOGNITION_JSON.errorResponse(known);
}
