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

/**
 * What every task still waiting gets when the service closes. The engine can neither retry nor catch it (it reads
 * `isRetryable`/`isCatchable`), so an aborted run's state loop ends at once and the engine clears its timers: its
 * Task states' TimeoutSeconds and the execution's own (691,200 s for the image pipeline), which would otherwise keep the
 * process alive for days after the stack stopped.
 */
export class ServiceClosedError extends Error {
  override readonly name = 'LocalStepFunctionsClosed';
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor() {
    super('The local Step Functions service stopped while this task waited');
  }
}
