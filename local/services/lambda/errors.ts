/** The payload Lambda returns for a failed invocation. */
export interface LambdaErrorPayload {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/**
 * A failed invocation, named after the handler's error (`err.name`), so ASL `ErrorEquals` matches it
 * as it would match the error of a real Lambda function.
 */
export class LambdaFunctionError extends Error {
  readonly payload: LambdaErrorPayload;

  constructor(payload: LambdaErrorPayload) {
    super(payload.errorMessage);
    this.name = payload.errorType;
    this.payload = payload;
  }
}

/** The invocation ran past the function's Timeout; Lambda reports this as `Sandbox.Timedout`. */
export function timeoutError(requestId: string, timeoutSeconds: number): LambdaFunctionError {
  return new LambdaFunctionError({
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
  });
}
