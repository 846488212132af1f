import { Readable } from 'node:stream';

/** One HTTP request as the SDK sent it, after signing and serialisation. */
export interface RecordedRequest {
  method: string;
  hostname: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** `x-amz-target` without the service prefix, e.g. "DetectLabels". */
  operation: string | undefined;
}

export interface FakeAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

async function readBody(body: unknown): Promise<string> {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  // A view on the same memory: Buffer.from(body) would call the SDK body's valueOf() and make it warn.
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * An SDK request handler that never touches the network: it records each request and answers with
 * canned HTTP responses, so the real serialisers, deserialisers and retry strategy all run.
 */
export function fakeHttp(answer: (request: RecordedRequest) => FakeAnswer) {
  const requests: RecordedRequest[] = [];
  const requestHandler = {
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: { method: string; hostname: string; path: string; headers: Record<string, string>; body?: unknown }) {
      const recorded: RecordedRequest = {
        method: request.method,
        hostname: request.hostname,
        path: request.path,
        headers: request.headers,
        body: await readBody(request.body),
        operation: request.headers['x-amz-target']?.split('.').at(-1),
      };
      requests.push(recorded);
      const { status, body = '', headers = {} } = answer(recorded);
      return {
        response: {
          statusCode: status,
          reason: undefined,
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${requests.length}`, ...headers },
          body: Readable.from([Buffer.from(body)]),
        },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() {
      return {};
    },
    destroy() {},
  };
  return { requestHandler, requests };
}

/** Settings every fake-wired client needs instead of the environment. */
export const offlineClientSettings = {
  region: 'eu-west-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
};
