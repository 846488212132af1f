import { asServiceError } from './protocols/protocol';
import type { EdgeRequest, EdgeResponse, EdgeService } from './types';

/** Matches JSON-protocol calls whose X-Amz-Target starts with the prefix, e.g. "DynamoDB_20120810.". */
export function matchTarget(prefix: string): (req: EdgeRequest) => boolean {
  return (req) => (req.target ?? '').startsWith(prefix);
}

/** Matches calls signed for the SigV4 service name, e.g. "s3" or "sns". */
export function matchSigningService(service: string): (req: EdgeRequest) => boolean {
  return (req) => req.signingService === service;
}

/**
 * Picks the service for a request. JSON protocols are routed by X-Amz-Target first, because their
 * target names the API unambiguously; then each service's own rule (signing service, path) decides in order.
 */
export function routeRequest(services: readonly EdgeService[], req: EdgeRequest): EdgeService | undefined {
  return services.find((service) => service.matches(req));
}

/** Lets the service answer the request; what it throws is answered in its protocol (an unknown error as its 500). */
export async function answerWith(service: EdgeService, req: EdgeRequest): Promise<EdgeResponse> {
  try {
    return await service.handle(req);
  } catch (error) {
    return service.protocol.errorResponse(asServiceError(service.protocol, error));
  }
}
