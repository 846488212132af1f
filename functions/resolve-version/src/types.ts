import type { ResizeOutput, StoredAnalysisRef } from '@smart-image-pipeline/contracts';

/**
 * ResolveVersion's input: the execution input, of which only `pipelineVersion`, `resize` (a reprocess run's stored
 * resize result) and `storedAnalysis` (its reference to the stored analysis) are read, all optional.
 */
export interface ResolveVersionInput {
  readonly pipelineVersion?: string;
  readonly resize?: unknown;
  readonly storedAnalysis?: unknown;
}

/** ResolveVersion's output (the state machine keeps it at `$.resolvedVersion`). */
export interface ResolvedVersion {
  name: string;
  fingerprint: string;
  variantWidths: number[];
  /** `analysisFingerprint` of the version's analysis settings: what a stored analysis must have been made with to be reused. */
  analysisFingerprint: string;
}

/**
 * The task's result: the version, the input's stored resize result when it matches its widths, and the input's stored
 * analysis reference when its analysis settings are the version's (each else null).
 */
export interface ResolveVersionOutput extends ResolvedVersion {
  storedResize: ResizeOutput | null;
  storedAnalysis: StoredAnalysisRef | null;
}
