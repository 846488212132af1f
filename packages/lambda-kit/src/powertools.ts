import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** The Powertools trio one function uses: created once per cold start, configured by POWERTOOLS_* variables. */
export interface Powertools {
  readonly logger: Logger;
  readonly tracer: Tracer;
  readonly metrics: Metrics;
}

/**
 * Creates the function's logger, tracer (off outside Lambda, Powertools' own rule) and metrics (EMF lines on
 * stdout, namespace from POWERTOOLS_METRICS_NAMESPACE). Call it once, in the function's clients.ts.
 */
export function createPowertools(): Powertools {
  return { logger: new Logger(), tracer: new Tracer(), metrics: new Metrics() };
}

export { MetricUnit };
