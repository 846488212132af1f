import { randomUUID } from 'node:crypto';
import { RekognitionError } from '../../vision/errors';

/** One HTTP answer in AWS's JSON 1.1 protocol. */
export interface JsonProtocolResponse { status: number; headers: Record<string, string>; body: string }

const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** A 200 answer carrying a response body. */
export function okResponse(body: string): JsonProtocolResponse {
  return { status: 200, headers: { 'content-type': CONTENT_TYPE, 'x-amzn-RequestId': randomUUID() }, body };
}

/** An error answer the SDK maps onto its named exception (from `x-amzn-ErrorType` and `__type`). */
export function errorResponse(error: unknown): JsonProtocolResponse {
  const known = error instanceof RekognitionError ? error : new RekognitionError('InternalServerError', `Local vision service error: ${(error as Error)?.message ?? String(error)}`);
  return {
    status: known.status,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-RequestId': randomUUID(), 'x-amzn-ErrorType': known.type },
    body: JSON.stringify({ __type: known.type, Message: known.message }),
  };
}
