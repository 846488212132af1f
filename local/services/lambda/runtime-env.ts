import type { LocalFunction } from '../../template/types';

/** Where the sandboxes send their SDK calls and which region they claim. */
export interface RuntimeEndpoint {
  edgeUrl: string;
  region: string;
  accountId: string;
}

// Only what a process needs to run; the host's AWS profile, keys and endpoints never leak into a function.
const PASSED_THROUGH = ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG', 'LC_ALL', 'NODE_EXTRA_CA_CERTS'];

/**
 * Builds a function's process.env as Lambda would: runtime variables, then the template's Environment,
 * then the local endpoint and dummy credentials (so the handler's SDK clients reach the edge via `AWS_ENDPOINT_URL`).
 */
export function functionEnvironment(fn: LocalFunction, endpoint: RuntimeEndpoint): Record<string, string> {
  const host = Object.fromEntries(PASSED_THROUGH.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k] as string]));
  return {
    ...host,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: 'local',
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    LAMBDA_TASK_ROOT: fn.codeDir,
    _HANDLER: fn.handler,
    // sam local sets this too; code may use it for diagnostics, never for wiring.
    AWS_SAM_LOCAL: 'true',
    ...fn.environment,
    // No X-Ray daemon runs locally; Powertools Tracer would only warn on every call.
    POWERTOOLS_TRACE_ENABLED: 'false',
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    AWS_REGION: endpoint.region,
    AWS_DEFAULT_REGION: endpoint.region,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL: endpoint.edgeUrl,
  };
}
