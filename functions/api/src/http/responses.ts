/** What the handler returns to API Gateway (payload 2.0, the structured form). */
export interface ApiResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** A route's answer before it is serialised: the status and a JSON-able body. */
export interface Reply {
  status: number;
  body: unknown;
  /** A non-JSON answer's content type; its body is then sent as the text it is. */
  contentType?: string;
}

/** Headers every answer carries: JSON never sniffed as HTML, never cached, never framed. */
export const BASE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
});

/** A 200 answer. */
export function ok(body: unknown): Reply {
  return { status: 200, body };
}

/** A 200 answer in another format than JSON (an HLS playlist), sent as the text it is. */
export function okText(body: string, contentType: string): Reply {
  return { status: 200, body, contentType };
}

/** A 201 answer, for something the request created. */
export function created(body: unknown): Reply {
  return { status: 201, body };
}

/** Serialises a reply; JSON.stringify keeps stored strings as strings, so nothing in them becomes markup. */
export function toResponse(reply: Reply): ApiResponse {
  if (reply.contentType !== undefined && typeof reply.body === 'string')
    return { statusCode: reply.status, headers: { ...BASE_HEADERS, 'content-type': reply.contentType }, body: reply.body };
  return { statusCode: reply.status, headers: { ...BASE_HEADERS }, body: JSON.stringify(reply.body) };
}

/** The API's error shape `{ error: { code, message } }`. */
export function errorReply(status: number, code: string, message: string): Reply {
  return { status, body: { error: { code, message } } };
}
