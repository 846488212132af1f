/** Named errors of the web-deploy custom resource; each ends in a FAILED answer to CloudFormation with its message. */
import { ERROR_NAMES, PipelineError } from '@smart-image-pipeline/contracts';

export { ConfigurationError } from '@smart-image-pipeline/contracts';

/** The event is no CloudFormation custom-resource request, or its Config is not what the console needs. */
export class InvalidCustomResourceEventError extends PipelineError {
  public override readonly name = ERROR_NAMES.invalidCustomResourceEvent;
}
