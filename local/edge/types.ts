import type { IncomingHttpHeaders } from 'node:http';
import type { AwsProtocol } from './protocols/protocol';

/** One HTTP request reaching the edge, with the SigV4 facts the router needs already parsed out. */
export interface EdgeRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** SigV4 service name from the Authorization header or X-Amz-Credential query, e.g. "s3", "dynamodb", "states", "rekognition", "sns", "ses", "ssm" */
  signingService?: string;
  target?: string /* X-Amz-Target */;
  /** Path and query exactly as sent, before URL's dot-segment folding: S3 keys may contain "../" and "./". */
  rawPath?: string;
}

/** What a service answers; a stream body is piped as it is. */
export interface EdgeResponse {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string | NodeJS.ReadableStream;
}

/** One emulated AWS service plugged into the edge router. */
export interface EdgeService {
  name: string;
  /** The service's wire protocol: the edge writes its own errors for the service (body too large, injected faults) in it. */
  protocol: AwsProtocol;
  matches(req: EdgeRequest): boolean;
  /** Answers one call; an AwsServiceError it throws is answered in `protocol`, anything else as the protocol's 500. */
  handle(req: EdgeRequest): Promise<EdgeResponse>;
}
