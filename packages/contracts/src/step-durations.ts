import * as z from 'zod';

/**
 * Per-step durations of one run (issue 15): what each Lambda step's handler measured itself (lambda-kit's withHandler
 * `step` option, milliseconds from the invocation's start to its result; Lambda init, queueing and retries excluded),
 * carried on the step's result as `durationMs`, gathered by StoreMetadata into the events and from there into the
 * analytics facts. null: the step did not run (a small image is not analysed), failed, or ran before the field existed.
 */

/** The timed steps of an image run, in run order. */
export const PIPELINE_STEPS = Object.freeze(['resolveVersion', 'resize', 'analyse', 'store'] as const);

export type PipelineStep = (typeof PIPELINE_STEPS)[number];

/** The duration fields of a fact and an event: `resolveVersionMs`, `resizeMs`, `analyseMs`, `storeMs`. */
export type StepDurations = { [Step in PipelineStep as `${Step}Ms`]: number | null };

/** The field holding one step's duration. */
export function stepDurationField<Step extends PipelineStep>(step: Step): `${Step}Ms` {
  return `${step}Ms`;
}

const ms = z.number().int().min(0).nullable();

/** The `stepDurations` object of Image Processed and Image Failed: every step's field, null when not measured. */
export const stepDurationsSchema = z.strictObject({ resolveVersionMs: ms, resizeMs: ms, analyseMs: ms, storeMs: ms });

/** A step's `durationMs` as a state carries it: a whole number of milliseconds, else null (never trusted blindly). */
export function durationOf(result: unknown): number | null {
  const value = result !== null && typeof result === 'object' ? (result as { durationMs?: unknown }).durationMs : undefined;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
}

/**
 * The durations a run's state holds so far: ResolveVersion's at `$.resolvedVersion`, ResizeImage's at `$.resize`,
 * AnalyseImage's at `$.analysis` (each state's ResultSelector copies the handler's `durationMs`); `storeMs` is the
 * caller's own (StoreMetadata measures itself), null on a failure.
 */
export function stepDurationsOf(state: unknown, storeMs: number | null): StepDurations {
  const at = (key: string) => (state !== null && typeof state === 'object' ? (state as Record<string, unknown>)[key] : undefined);
  return {
    resolveVersionMs: durationOf(at('resolvedVersion')),
    resizeMs: durationOf(at('resize')),
    analyseMs: durationOf(at('analysis')),
    storeMs: storeMs === null ? null : Math.max(0, Math.round(storeMs)),
  };
}
