import { isObject } from '@smart-image-pipeline/contracts';
import { InvalidApiEventError } from '../errors';

/** One HTTP request as the routes read it, from an API Gateway HTTP API (payload 2.0) event. */
export interface ApiRequest {
  method: string;
  /** The path without the stage (the API uses the `$default` stage). */
  path: string;
  /**
   * The query string as sent. API Gateway also gives `queryStringParameters`, but joins a repeated name's values
   * with commas, which would hide a repeated parameter; the raw string keeps every one.
   */
  query: URLSearchParams;
  /** Header names in lower case (API Gateway joins repeated headers with commas). */
  headers: Record<string, string>;
  /** The body as text (decoded when API Gateway sent it base64-encoded), or undefined. */
  body: string | undefined;
  requestId: string;
}

/**
 * Reads an API Gateway HTTP API payload 2.0 event.
 * @throws InvalidApiEventError when the event is not one (the function was invoked by something else).
 */
export function parseApiEvent(event: unknown): ApiRequest {
  if (!isObject(event) || event.version !== '2.0' || !isObject(event.requestContext) || !isObject(event.requestContext.http)) {
    throw new InvalidApiEventError('Not an API Gateway HTTP API event (payload format 2.0)');
  }
  const http = event.requestContext.http;
  if (typeof http.method !== 'string' || typeof event.rawPath !== 'string')
    throw new InvalidApiEventError('The event has no requestContext.http.method or rawPath');
  const headers: Record<string, string> = {};
  if (isObject(event.headers))
    for (const [name, value] of Object.entries(event.headers)) if (typeof value === 'string') headers[name.toLowerCase()] = value;
  const rawBody = typeof event.body === 'string' ? event.body : undefined;
  return {
    method: http.method.toUpperCase(),
    path: event.rawPath,
    query: new URLSearchParams(typeof event.rawQueryString === 'string' ? event.rawQueryString : ''),
    headers,
    body: rawBody !== undefined && event.isBase64Encoded === true ? Buffer.from(rawBody, 'base64').toString('utf8') : rawBody,
    requestId: typeof event.requestContext.requestId === 'string' ? event.requestContext.requestId : '',
  };
}
