import { AwsServiceError } from '../../edge/aws-error';
import { restJsonProtocol } from '../../edge/protocols/rest-json';
import type { EdgeRequest, EdgeResponse, EdgeService } from '../../edge/types';
import type { LocalFunction } from '../../template/types';
import type { FunctionRuntime } from './function-runtime';
import type { LambdaRuntime } from './lambda-runtime';
import { LambdaServiceError } from './errors';

/** Lambda's REST-JSON protocol; a caller's mistake carries `"Type": "User"` in the body, as Lambda writes it. */
const LAMBDA_JSON = restJsonProtocol({
  invalidBodyCode: 'InvalidRequestContentException',
  invalidBodyMessage: 'Could not parse request body into json',
  internalErrorCode: 'ServiceException',
});

/**
 * Serves Lambda's Invoke API (`POST /2015-03-31/functions/<name>/invocations`) so `aws lambda invoke --endpoint-url`
 * and SDK clients reach the local functions; RequestResponse answers with the result, Event returns 202 at once.
 * ListFunctions, GetFunction and GetFunctionConfiguration describe the template's functions (read-only).
 */
export function lambdaEdgeService(runtime: LambdaRuntime, invokeAsync: (idNameOrArn: string, event: unknown) => void): EdgeService {
  return {
    name: 'lambda',
    protocol: LAMBDA_JSON,
    matches: (req: EdgeRequest) => req.signingService === 'lambda' || /^\/2015-03-31\/functions\//.test(req.url.pathname),
    async handle(req: EdgeRequest): Promise<EdgeResponse> {
      if (req.method === 'GET') return describeFunctions(runtime, req.url.pathname);
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url.pathname);
      if (!match || req.method !== 'POST')
        throw userError(
          400,
          'InvalidRequestContentException',
          `Local mode implements only Invoke, ListFunctions and GetFunction(Configuration), not ${req.method} ${req.url.pathname}`,
        );
      const name = decodeURIComponent(match[1]);
      findFunction(runtime, name);
      const event = LAMBDA_JSON.parseBody(req);
      const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
      if (type === 'Event') {
        invokeAsync(name, event);
        return { status: 202, headers: { 'content-type': 'application/json' }, body: '' };
      }
      try {
        const result = await runtime.invoke(name, event);
        return LAMBDA_JSON.ok(result, 200, { 'x-amz-executed-version': '$LATEST' });
      } catch (err) {
        if (err instanceof LambdaServiceError)
          throw new AwsServiceError(err.name, err.status, err.message, {
            Type: 'User',
            Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
          });
        const e = err as Error & { payload?: { errorType: string; errorMessage: string; trace?: string[] } };
        const payload = e.payload ?? { errorType: e.name, errorMessage: e.message };
        // A function's own failure is a 200 carrying its error document, marked by X-Amz-Function-Error.
        return LAMBDA_JSON.ok(payload, 200, { 'x-amz-function-error': 'Unhandled', 'x-amz-executed-version': '$LATEST' });
      }
    },
  };
}

function userError(status: number, code: string, message: string): AwsServiceError {
  return new AwsServiceError(code, status, message, { Type: 'User' });
}

/** The function's runtime. @throws AwsServiceError 404 ResourceNotFoundException. */
function findFunction(runtime: LambdaRuntime, idNameOrArn: string): FunctionRuntime {
  try {
    return runtime.find(idNameOrArn);
  } catch (err) {
    throw userError(404, 'ResourceNotFoundException', (err as Error).message);
  }
}

/** ListFunctions (`/functions/`), GetFunction (`/functions/<name>`) and GetFunctionConfiguration (`.../configuration`). */
function describeFunctions(runtime: LambdaRuntime, path: string): EdgeResponse {
  if (/^\/2015-03-31\/functions\/?$/.test(path)) return LAMBDA_JSON.ok({ Functions: runtime.app.functions.map(functionConfiguration) });
  const match = /^\/2015-03-31\/functions\/([^/]+)(\/configuration)?\/?$/.exec(path);
  if (!match)
    throw userError(
      400,
      'InvalidRequestContentException',
      `Local mode implements only Invoke, ListFunctions and GetFunction(Configuration), not GET ${path}`,
    );
  const { fn } = findFunction(runtime, decodeURIComponent(match[1]));
  const configuration = functionConfiguration(fn);
  return LAMBDA_JSON.ok(
    match[2] ? configuration : { Configuration: configuration, Code: { RepositoryType: 'Local', Location: fn.codeDir } },
  );
}

/** A FunctionConfiguration as Lambda describes it, from the template. */
function functionConfiguration(fn: LocalFunction): Record<string, unknown> {
  return {
    FunctionName: fn.name,
    FunctionArn: fn.arn,
    Runtime: fn.runtime,
    Handler: fn.handler,
    Timeout: fn.timeoutSeconds,
    MemorySize: fn.memorySize,
    Version: '$LATEST',
    PackageType: 'Zip',
    State: 'Active',
    LastUpdateStatus: 'Successful',
    Environment: { Variables: fn.environment },
  };
}
