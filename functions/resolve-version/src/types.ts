import type { ResizeOutput } from '@smart-image-pipeline/contracts';

/**
 * ResolveVersion's input: the execution input, of which only `pipelineVersion` and `resize` (a reprocess run's stored
 * resize result) are read, both optional.
 */
export interface ResolveVersionInput {
  readonly pipelineVersion?: string;
  readonly resize?: unknown;
}

/** ResolveVersion's output (the state machine keeps it at `$.resolvedVersion`). */
export interface ResolvedVersion {
  name: string;
  fingerprint: string;
  variantWidths: number[];
}

/** The task's result: the version, and the input's stored resize result when it matches its widths (else null). */
export interface ResolveVersionOutput extends ResolvedVersion {
  storedResize: ResizeOutput | null;
}
