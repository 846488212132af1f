/** An error that becomes a JSON answer with its HTTP status and a reason; anything else becomes a 500 without details. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Builds the 400 answer for a query or body value that fails validation. */
export function badRequest(message: string): HttpError {
  return new HttpError(400, 'BadRequest', message);
}

/** Builds the 401 answer for a missing, expired or forged token. */
export function unauthorized(message: string): HttpError {
  return new HttpError(401, 'Unauthorized', message);
}

/** Builds the 403 answer for a signed-in caller who may not do this. */
export function forbidden(message: string): HttpError {
  return new HttpError(403, 'Forbidden', message);
}

/** Builds the 404 answer for an id that names nothing the caller may see. */
export function notFound(message: string): HttpError {
  return new HttpError(404, 'NotFound', message);
}
