import type { ApiDeps } from './api-deps';
import { bearerToken, KeysUnavailableError, TokenRejectedError } from './auth/token-verifier';
import type { ApiRequest } from './http/api-request';
import { HttpError } from './http/http-error';
import { errorReply, toResponse, type ApiResponse, type Reply } from './http/responses';
import { Router } from './http/router';
import { registerAnalyticsRoutes } from './routes/analytics-routes';
import { registerExecutionRoutes } from './routes/execution-routes';
import { registerImageRoutes } from './routes/image-routes';
import { registerReviewRoutes } from './routes/review-routes';
import { registerPeopleRoutes } from './routes/people-routes';
import { registerReprocessRoutes } from './routes/reprocess-routes';
import { registerPreferenceRoutes } from './routes/preference-routes';
import { registerUploadRoutes } from './routes/upload-routes';

/** The API: its route table, and the one entry that turns a request into a response. */
export interface Api {
  router: Router;
  /** Answers every request with a response (4xx with a reason for the caller's mistakes); never throws. */
  handle(request: ApiRequest): Promise<ApiResponse>;
}

/**
 * Builds the route table. A feature adds its routes with one `register…Routes(router, deps)` line here and the same
 * routes in template.yaml's ApiFunction events (tests/template checks that the two lists are equal).
 */
export function createRouter(deps: ApiDeps): Router {
  const router = new Router();
  registerUploadRoutes(router, deps);
  registerImageRoutes(router, deps);
  registerPeopleRoutes(router, deps);
  registerExecutionRoutes(router, deps);
  registerReviewRoutes(router, deps);
  registerAnalyticsRoutes(router, deps);
  registerReprocessRoutes(router, deps);
  registerPreferenceRoutes(router, deps);
  return router;
}

/**
 * The API: route, authenticate (the bearer token is verified here on every request too, behind API Gateway's JWT
 * authorizer), check the admins group for admin routes, then run the route.
 */
export function createApi(deps: ApiDeps): Api {
  const router = createRouter(deps);

  async function reply(request: ApiRequest): Promise<Reply> {
    const found = router.match(request.method, request.path);
    if (!('route' in found)) {
      return found.methodMismatch
        ? errorReply(405, 'MethodNotAllowed', `${request.method} is not allowed on ${request.path}.`)
        : errorReply(404, 'NotFound', `No route ${request.method} ${request.path}.`);
    }
    let caller;
    try {
      caller = await deps.verifier.verify(bearerToken(request.headers));
    } catch (error) {
      if (error instanceof TokenRejectedError) return errorReply(401, 'Unauthorized', error.reason);
      if (error instanceof KeysUnavailableError) {
        deps.logger.error('User pool keys unavailable', { reason: error.message });
        return errorReply(503, 'KeysUnavailable', "The user pool's signing keys could not be fetched; try again shortly.");
      }
      throw error;
    }
    if (found.route.access === 'admin' && !caller.isAdmin)
      return errorReply(403, 'Forbidden', 'Only members of the admins group may do this.');
    try {
      return await found.route.handler({ request, params: found.params, caller });
    } catch (error) {
      if (error instanceof HttpError) return errorReply(error.status, error.code, error.message);
      throw error;
    }
  }

  return {
    router,
    async handle(request) {
      try {
        return toResponse(await reply(request));
      } catch (error) {
        deps.logger.error('Request failed', {
          method: request.method,
          path: request.path,
          error: (error as Error).name,
          reason: (error as Error).message,
        });
        return toResponse(errorReply(500, 'InternalError', `The API could not answer; request id ${request.requestId}.`));
      }
    },
  };
}
