/** A Step Functions API error, named as the AWS API names it (e.g. `ExecutionAlreadyExists`), so the SDK raises the same exception. */
export class SfnApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

/** A Task whose resource failed; `name` is what the ASL `ErrorEquals` matches and `message` becomes the Cause. */
export class TaskFailedError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}
