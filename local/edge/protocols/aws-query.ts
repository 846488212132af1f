import { randomUUID } from 'node:crypto';
import { AwsServiceError } from '../aws-error';
import type { EdgeRequest, EdgeResponse } from '../types';
import { messageOf, type AwsProtocol } from './protocol';
import { buildXml, type XmlNode } from './xml';

/** The awsQuery protocol (form-encoded `Action=…` requests, XML answers) of one service, e.g. SNS. */
export interface AwsQueryProtocol extends AwsProtocol {
  /** `<Action>Response><Action>Result>…</…><ResponseMetadata><RequestId>…` */
  ok(action: string, result: XmlNode): EdgeResponse;
  /** The request's parameters: the query string, then the form body on top. */
  params(req: EdgeRequest): URLSearchParams;
}

/**
 * The query protocol of the service whose documents use `xmlns`. Errors are an `ErrorResponse` document whose
 * `Type` is Sender for 4xx and Receiver for 5xx, as AWS writes it.
 */
export function awsQueryProtocol(options: { xmlns: string }): AwsQueryProtocol {
  const { xmlns } = options;
  return {
    ok: (action, result) => ({
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body: buildXml(`${action}Response`, { [`${action}Result`]: result, ResponseMetadata: { RequestId: randomUUID() } }, { xmlns }),
    }),
    errorResponse: (error) => ({
      status: error.status,
      headers: { 'content-type': 'text/xml', ...error.headers },
      body: buildXml(
        'ErrorResponse',
        {
          Error: { Type: error.status >= 500 ? 'Receiver' : 'Sender', Code: error.code, Message: error.message, ...error.extra },
          RequestId: randomUUID(),
        },
        { xmlns, declaration: '<?xml version="1.0"?>' },
      ),
    }),
    internalError: (cause) => new AwsServiceError('InternalError', 500, messageOf(cause)),
    params(req) {
      const params = new URLSearchParams(req.url.search);
      for (const [key, value] of new URLSearchParams(req.body.toString('utf8'))) params.set(key, value);
      return params;
    },
  };
}
