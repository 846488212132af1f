import type { EdgeRequest, EdgeResponse, EdgeService } from '../../edge/types';
import type { LambdaRuntime } from './lambda-runtime';
import type { LocalFunction } from '../../template/types';

/**
 * Serves Lambda's Invoke API (`POST /2015-03-31/functions/<name>/invocations`) so `aws lambda invoke --endpoint-url`
 * and SDK clients reach the local functions; RequestResponse answers with the result, Event returns 202 at once.
 * ListFunctions, GetFunction and GetFunctionConfiguration describe the template's functions (read-only).
 */
export function lambdaEdgeService(runtime: LambdaRuntime, invokeAsync: (idNameOrArn: string, event: unknown) => void): EdgeService {
  return {
    name: 'lambda',
    matches: (req: EdgeRequest) => req.signingService === 'lambda' || /^\/2015-03-31\/functions\//.test(req.url.pathname),
    async handle(req: EdgeRequest): Promise<EdgeResponse> {
      if (req.method === 'GET') return describeFunctions(runtime, req.url.pathname);
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url.pathname);
      if (!match || req.method !== 'POST') return jsonError(400, 'InvalidRequestContentException', `Local mode implements only Invoke, ListFunctions and GetFunction(Configuration), not ${req.method} ${req.url.pathname}`);
      const name = decodeURIComponent(match[1]);
      try {
        runtime.find(name);
      } catch (err) {
        return jsonError(404, 'ResourceNotFoundException', (err as Error).message);
      }
      let event: unknown;
      try {
        event = req.body.length ? JSON.parse(req.body.toString('utf8')) : {};
      } catch {
        return jsonError(400, 'InvalidRequestContentException', 'Could not parse request body into json');
      }
      const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
      if (type === 'Event') {
        invokeAsync(name, event);
        return { status: 202, headers: { 'content-type': 'application/json' }, body: '' };
      }
      try {
        const result = await runtime.invoke(name, event);
        return { status: 200, headers: { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' }, body: JSON.stringify(result) };
      } catch (err) {
        const e = err as Error & { payload?: { errorType: string; errorMessage: string; trace?: string[] } };
        const payload = e.payload ?? { errorType: e.name, errorMessage: e.message };
        return {
          status: 200,
          headers: { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled', 'x-amz-executed-version': '$LATEST' },
          body: JSON.stringify(payload),
        };
      }
    },
  };
}

function jsonError(status: number, type: string, message: string): EdgeResponse {
  return { status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': type }, body: JSON.stringify({ Type: 'User', message }) };
}

/** ListFunctions (`/functions/`), GetFunction (`/functions/<name>`) and GetFunctionConfiguration (`.../configuration`). */
function describeFunctions(runtime: LambdaRuntime, path: string): EdgeResponse {
  const ok = (body: unknown): EdgeResponse => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (/^\/2015-03-31\/functions\/?$/.test(path)) return ok({ Functions: runtime.app.functions.map(functionConfiguration) });
  const match = /^\/2015-03-31\/functions\/([^/]+)(\/configuration)?\/?$/.exec(path);
  if (!match) return jsonError(400, 'InvalidRequestContentException', `Local mode implements only Invoke, ListFunctions and GetFunction(Configuration), not GET ${path}`);
  let fn: LocalFunction;
  try {
    fn = runtime.find(decodeURIComponent(match[1])).fn;
  } catch (err) {
    return jsonError(404, 'ResourceNotFoundException', (err as Error).message);
  }
  const configuration = functionConfiguration(fn);
  return ok(match[2] ? configuration : { Configuration: configuration, Code: { RepositoryType: 'Local', Location: fn.codeDir } });
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
