/** An error that becomes a JSON answer with its HTTP status; anything else becomes a 500 without details. */
export class HttpError extends Error {
  readonly name = 'HttpError';
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

/** Builds the 404 answer for an id that names nothing. */
export function notFound(message: string): HttpError {
  return new HttpError(404, 'NotFound', message);
}
