import type { EdgeResponse } from './types';

/** Escapes text for an XML element body. */
export function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[ch] as string);
}

/** An error in the JSON 1.0/1.1 protocols (DynamoDB, Step Functions, Rekognition, SSM). */
export function jsonError(status: number, type: string, message: string, namespace = 'com.amazonaws.local'): EdgeResponse {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type },
    body: JSON.stringify({ __type: `${namespace}#${type}`, message }),
  };
}

/** An error in the query protocol (SNS): an ErrorResponse document. */
export function queryError(status: number, code: string, message: string, type: 'Sender' | 'Receiver' = 'Sender'): EdgeResponse {
  const body =
    `<?xml version="1.0"?>\n<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${type}</Type>` +
    `<Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${cryptoRandomId()}</RequestId></ErrorResponse>`;
  return { status, headers: { 'content-type': 'text/xml' }, body };
}

/** An S3 REST-XML error document with the fields S3 puts in it. */
export function s3Error(status: number, code: string, message: string, extra: Record<string, string> = {}): EdgeResponse {
  const fields = Object.entries(extra)
    .map(([name, value]) => `<${name}>${xmlEscape(value)}</${name}>`)
    .join('');
  const requestId = cryptoRandomId();
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message>` +
    `${fields}<RequestId>${requestId}</RequestId><HostId>local</HostId></Error>`;
  return { status, headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId }, body };
}

function cryptoRandomId(): string {
  return globalThis.crypto.randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
}
