import { isObject, PipelineError, type PipelineStep } from '@smart-image-pipeline/contracts';
import type { Context } from 'aws-lambda';
import { recordStepDuration } from './metrics';
import type { Powertools } from './powertools';

/** The log keys of one invocation (house style): what the image is, where it is, and which run it belongs to. */
export interface LogKeys {
  imageId?: string;
  bucket?: string;
  key?: string;
  executionArn?: string;
}

/** What `run` gets: the function's Powertools, and the time since the invocation started. */
export interface InvocationTools extends Powertools {
  /** Milliseconds since the handler was invoked (parse included). */
  elapsedMs(): number;
}

/** What a function's handler does, between the wrapper's bookkeeping. */
export interface HandlerSteps<Input, Output> {
  /**
   * The pipeline step this function runs, when it is one of the timed steps: a successful invocation's own duration
   * is published as the `StepDuration` metric (dimension `step`) and put on an object result as `durationMs`, which
   * the state machine's ResultSelector keeps for the run's facts (contracts step-durations.ts).
   */
  step?: PipelineStep | ((input: Input) => PipelineStep | undefined);
  /** Validates the event; throws the step's named error naming every problem. */
  parse(event: unknown): Input;
  /** The log keys for this input; steps about many images (the trigger) return none and log keys per record. */
  logKeys?(input: Input): LogKeys;
  /** The work: call the core, record business metrics, log the outcome. */
  run(input: Input, tools: InvocationTools): Promise<Output>;
}

/** A Lambda handler as the template names it (`handler.handler`); `context` is optional so tests and tools can omit it. */
export type LambdaHandler<Output> = (event: unknown, context?: Context) => Promise<Output>;

/**
 * Wraps a function's steps the way Powertools' `injectLambdaContext`, `captureLambdaHandler` and `logMetrics`
 * would, in one place and without middy: Lambda context and the per-image keys on every log line (removed
 * again afterwards), a `## <handler>` X-Ray subsegment annotated with ColdStart and Service that records any
 * error, a ColdStart metric, the step's own duration when `step` is set, and the invocation's metrics flushed as EMF
 * even when it fails.
 * A named PipelineError (a refused input, a bad image) is logged at WARN; anything else at ERROR.
 */
export function withHandler<Input, Output>(tools: Powertools, steps: HandlerSteps<Input, Output>): LambdaHandler<Output> {
  const { logger, tracer, metrics } = tools;
  return async (event, context) => {
    const started = performance.now();
    const elapsedMs = () => performance.now() - started;
    if (context !== undefined) logger.addContext(context);
    // Outside Lambda (tests, local mode) tracing is off and there is no segment to hang a subsegment on.
    const segment = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
    const subsegment = segment?.addNewSubsegment(`## ${process.env._HANDLER ?? 'handler'}`);
    if (subsegment !== undefined) {
      tracer.setSegment(subsegment);
      tracer.annotateColdStart();
      tracer.addServiceNameAnnotation();
    }
    metrics.captureColdStartMetric(context?.functionName);
    try {
      const input = steps.parse(event);
      const keys = steps.logKeys?.(input) ?? {};
      logger.appendKeys(Object.fromEntries(Object.entries(keys).filter(([, value]) => value !== undefined)));
      const output = await steps.run(input, { ...tools, elapsedMs });
      const step = typeof steps.step === 'function' ? steps.step(input) : steps.step;
      if (step === undefined) return output;
      const durationMs = Math.round(elapsedMs());
      recordStepDuration(metrics, step, durationMs);
      return (isObject(output) ? { ...output, durationMs } : output) as Output;
    } catch (error) {
      if (subsegment !== undefined) tracer.addErrorAsMetadata(error as Error);
      const fields = {
        error: error instanceof Error ? error.name : 'UnknownError',
        reason: error instanceof Error ? error.message : String(error),
      };
      if (error instanceof PipelineError) logger.warn('Invocation refused', fields);
      else logger.error('Invocation failed', fields);
      throw error;
    } finally {
      subsegment?.close();
      if (segment !== undefined) tracer.setSegment(segment);
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      logger.resetKeys();
    }
  };
}
