/**
 * Named errors of the API function. Callers' mistakes never throw out of the handler: they become 4xx answers
 * (http/http-error.ts). Only an event that is no API Gateway request, or a missing setting, fails the invocation.
 */
import { ERROR_NAMES, PipelineError } from '@smart-image-pipeline/contracts';

export { ConfigurationError } from '@smart-image-pipeline/contracts';

/** The function was invoked with something other than an API Gateway HTTP API (payload 2.0) event. */
export class InvalidApiEventError extends PipelineError {
  public override readonly name = ERROR_NAMES.invalidApiEvent;
}
