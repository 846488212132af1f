import { randomUUID } from 'node:crypto';
import { AwsServiceError } from '../aws-error';
import type { EdgeResponse } from '../types';
import type { AwsProtocol } from './protocol';
import { buildXml, type XmlNode } from './xml';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** The restXml protocol as S3 speaks it. */
export interface RestXmlProtocol extends AwsProtocol {
  /** An XML answer: one root element in S3's namespace around the content. */
  ok(root: string, content: XmlNode, headers?: Record<string, string>): EdgeResponse;
}

/**
 * S3's REST-XML protocol. Errors are an `<Error>` document with Code, Message, the extra fields S3 adds
 * (`<Key>`, `<BucketName>`, …), RequestId and HostId; the request id is also in `x-amz-request-id`.
 */
export const restXmlProtocol: RestXmlProtocol = {
  ok: (root, content, headers = {}) => ({
    status: 200,
    headers: { 'content-type': 'application/xml', ...headers },
    body: buildXml(root, content, { xmlns: S3_XMLNS, declaration: XML_DECLARATION }),
  }),
  errorResponse(error) {
    const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
    return {
      status: error.status,
      headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId, ...error.headers },
      body: buildXml(
        'Error',
        { Code: error.code, Message: error.message, ...error.extra, RequestId: requestId, HostId: 'local' },
        { declaration: XML_DECLARATION },
      ),
    };
  },
  internalError: (cause) => {
    // S3 says nothing about the cause to the client; the log has it.
    console.error('[local s3] internal error:', cause);
    return new AwsServiceError('InternalError', 500, 'We encountered an internal error. Please try again.');
  },
};
