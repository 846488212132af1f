export { LambdaRuntime } from './lambda-runtime';
export { FunctionRuntime, type FunctionRuntimeOptions, type LogSink } from './function-runtime';
export { LambdaFunctionError, type LambdaErrorPayload } from './errors';
export { functionEnvironment } from './runtime-env';
