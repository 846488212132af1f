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

/**
 * Lambda refused the invocation before any handler ran (the function's code never saw the event), e.g. throttling.
 * Step Functions names these `Lambda.<name>`, unlike a handler's own errors.
 */
export class LambdaServiceError extends Error {
  constructor(
    name: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = name;
  }
}

/** The function already runs as many invocations as its reserved concurrency allows. */
export function throttledError(): LambdaServiceError {
  return new LambdaServiceError('TooManyRequestsException', 'Rate Exceeded.', 429);
}

/** The invocation ran past the function's Timeout; Lambda reports this as `Sandbox.Timedout`. */
export function timeoutError(requestId: string, timeoutSeconds: number): LambdaFunctionError {
  return new LambdaFunctionError({
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
  });
}
