import { AwsServiceError } from '../../edge/aws-error';

/**
 * A Step Functions API error, named as the AWS API names it (e.g. `ExecutionAlreadyExists`), so the SDK raises the
 * same exception; every one of them is a 400.
 */
export function sfnApiError(code: string, message: string): AwsServiceError {
  return new AwsServiceError(code, 400, message);
}

/** A Task whose resource failed; `name` is what the ASL `ErrorEquals` matches and `message` becomes the Cause. */
export class TaskFailedError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}
