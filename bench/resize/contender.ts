import type { OutputPlan } from './plan';

/** One input as a contender sees it: its bytes, its path on disk and the outputs to produce. */
export interface ResizeJob {
  name: string;
  path: string;
  bytes: Buffer;
  plan: OutputPlan;
}

/** What a contender produced for one job (counted, so a contender that skips work is caught). */
export interface ResizeResult {
  outputs: number;
  outputBytes: number;
}

/** A resize implementation under test. */
export interface Contender {
  name: string;
  run(job: ResizeJob): Promise<ResizeResult>;
}
