import type { LocalApp, LocalFunction } from '../../template/types';
import { LambdaFunctionError } from './errors';
import { FunctionRuntime, type FunctionRuntimeOptions } from './function-runtime';

/** All the template's functions, invocable by logical ID, name or ARN. */
export class LambdaRuntime {
  private readonly runtimes = new Map<string, FunctionRuntime>();

  constructor(
    readonly app: LocalApp,
    options: FunctionRuntimeOptions,
  ) {
    for (const fn of app.functions) this.runtimes.set(fn.logicalId, new FunctionRuntime(fn, options));
  }

  /**
   * Finds a function by logical ID, function name, or (qualified) ARN.
   * @throws LambdaFunctionError `ResourceNotFoundException` when no function matches.
   */
  find(idNameOrArn: string): FunctionRuntime {
    const bare = idNameOrArn.replace(/:(\$LATEST|\d+)$/, '');
    const fn = this.app.functions.find((f: LocalFunction) => f.logicalId === bare || f.name === bare || f.arn === bare);
    const runtime = fn && this.runtimes.get(fn.logicalId);
    if (!runtime)
      throw new LambdaFunctionError({ errorType: 'ResourceNotFoundException', errorMessage: `Function not found: ${idNameOrArn}` });
    return runtime;
  }

  /**
   * Invokes a function synchronously and returns its result.
   * @throws LambdaFunctionError named after the handler's error.
   */
  invoke(idNameOrArn: string, event: unknown, requestId?: string): Promise<unknown> {
    return this.find(idNameOrArn).invoke(event, requestId);
  }

  /** Terminates every sandbox. */
  async close(): Promise<void> {
    await Promise.all([...this.runtimes.values()].map((r) => r.close()));
  }
}
